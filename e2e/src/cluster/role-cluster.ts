import {
  freePort,
  makeTempDir,
  startMinioServer,
  startNatsServer,
  startPostgresServer,
} from '@o2/testing';
import type {
  MinioServerHandle,
  NatsServerHandle,
  PostgresServerHandle,
  TempDir,
} from '@o2/testing';
import { S3ObjectStore } from '@o2/storage';
import { startProductProcess } from '../product-process.js';
import type { ProductProcess } from '../product-process.js';

export const ROLE_CLUSTER_ROOT = { email: 'root@example.com', password: 'Complexpass#123' };

export interface RoleNode {
  name: string;
  process: ProductProcess;
  grpcPort: number;
}

export interface RoleCluster {
  minio: MinioServerHandle;
  /** The servers themselves, for outage tests (`halt()`/`start()` keep port and data). */
  nats: NatsServerHandle;
  postgres: PostgresServerHandle;
  bucket: S3ObjectStore;
  /** Starts `services/<service>` as its own process, named `name` in the cluster. */
  start(service: string, name: string, env?: Record<string, string>): Promise<RoleNode>;
  /** SIGTERMs every node started so far (newest first); resolves with each node's exit. */
  stopNodes(): Promise<Array<readonly [string, number | string]>>;
  /** Stops the nodes, then the servers, and removes the data. */
  stop(): Promise<Array<readonly [string, number | string]>>;
}

/**
 * Real NATS, Postgres and MinIO on loopback plus a launcher for role processes wired to them —
 * the part of a cluster the failover and shutdown tests share. `heartbeatTtlSeconds` is also the
 * lease TTL of the compactor and alertmanager.
 */
export async function startRoleCluster(
  label: string,
  heartbeatTtlSeconds: number,
): Promise<RoleCluster> {
  let nats: NatsServerHandle | undefined;
  let postgres: PostgresServerHandle | undefined;
  let minio: MinioServerHandle | undefined;
  let dataDir: TempDir | undefined;
  const nodes: RoleNode[] = [];
  const stopServers = async () => {
    await Promise.all([nats?.stop(), postgres?.stop(), minio?.stop()]);
    await dataDir?.remove();
  };
  try {
    [nats, postgres, minio, dataDir] = await Promise.all([
      startNatsServer(),
      startPostgresServer(),
      startMinioServer(),
      makeTempDir(label),
    ]);
  } catch (error) {
    await stopServers();
    throw error;
  }
  const bucketName = `o2ts-${label}`;
  const common = {
    ZO_LOCAL_MODE: 'false',
    ZO_META_POSTGRES_DSN: await postgres.createDatabase(),
    ZO_NATS_ADDR: nats.url,
    ZO_S3_SERVER_URL: minio.endpoint,
    ZO_S3_REGION_NAME: minio.region,
    ZO_S3_ACCESS_KEY: minio.accessKey,
    ZO_S3_SECRET_KEY: minio.secretKey,
    ZO_S3_BUCKET_NAME: bucketName,
    ZO_INTERNAL_GRPC_TOKEN: `${label}-token`,
    ZO_GRPC_ADDR: '127.0.0.1',
    ZO_NODE_HEARTBEAT_TTL: String(heartbeatTtlSeconds),
    ZO_ROOT_USER_EMAIL: ROLE_CLUSTER_ROOT.email,
    ZO_ROOT_USER_PASSWORD: ROLE_CLUSTER_ROOT.password,
  };
  const dir = dataDir.path;
  const stopNodes = () =>
    Promise.all([...nodes].reverse().map(async (n) => [n.name, await n.process.stop()] as const));
  return {
    minio,
    nats,
    postgres,
    bucket: new S3ObjectStore({
      endpoint: minio.endpoint,
      region: minio.region,
      accessKey: minio.accessKey,
      secretKey: minio.secretKey,
      bucket: bucketName,
      prefix: '',
    }),
    start: async (service, name, env = {}) => {
      const grpcPort = await freePort();
      const process = await startProductProcess(service, {
        ...common,
        ZO_INSTANCE_NAME: name,
        ZO_GRPC_PORT: String(grpcPort),
        ZO_DATA_DIR: `${dir}/${name}/`,
        ...env,
      });
      const node = { name, process, grpcPort };
      nodes.push(node);
      return node;
    },
    stopNodes,
    stop: async () => {
      const exits = await stopNodes();
      await stopServers();
      return exits;
    },
  };
}
