import { execFileSync } from 'node:child_process';
import { mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  freePort,
  makeTempDir,
  startMinioServer,
  startNatsServer,
  startPostgresServer,
  waitForPort,
} from '@o2/testing';
import type {
  MinioServerHandle,
  NatsServerHandle,
  PostgresServerHandle,
  TempDir,
} from '@o2/testing';
import { basicAuth, startProductProcess, waitUntilHealthy } from '../product-process.js';
import type { ProductProcess } from '../product-process.js';
import { articleValuesFile, findObject, helmTemplate } from './test-support/helm.js';
import type { K8sObject } from './test-support/helm.js';
import { containerEnv, mapServiceHosts } from './test-support/pod-env.js';

// The chart's wiring, not just its names: render charts/openobserve with the article values, take
// each role's container env as Kubernetes would build it (ConfigMaps, Secret, env, downward API),
// swap only the in-cluster Service host names for local servers (NATS, Postgres, MinIO started by
// packages/testing, with the chart's own credentials), start every role from its built dist/ as
// a process, then ingest through the router and query.

const NS = 'openobserve';
const GENEROUS_MS = 90_000;
const STREAM = 'chart_wiring';
const ROWS = Array.from({ length: 50 }, (_, i) => ({
  level: i % 5 === 0 ? 'error' : 'info',
  n: i,
}));
/** Each role's workload and the name its (first) pod gets. */
const PODS = [
  ['router', 'Deployment', 'o2-openobserve-router-5d9f8b7c6d-abcde'],
  ['ingester', 'StatefulSet', 'o2-openobserve-ingester-0'],
  ['querier', 'StatefulSet', 'o2-openobserve-querier-0'],
  ['compactor', 'Deployment', 'o2-openobserve-compactor-7f6d5c4b3a-fghij'],
  ['alertmanager', 'Deployment', 'o2-openobserve-alertmanager-6c5b4a3f2e-klmno'],
] as const;

function psqlBinary(): string {
  const versions = execFileSync('ls', ['/usr/lib/postgresql'], { encoding: 'utf8' })
    .trim()
    .split('\n');
  const newest = versions.sort((a, b) => Number(b) - Number(a))[0];
  if (newest === undefined) throw new Error('no /usr/lib/postgresql/<version>: install postgresql');
  return `/usr/lib/postgresql/${newest}/bin/psql`;
}

/** What the CNPG operator does for the rendered Cluster: the managed role and the `app` database. */
function provisionLikeCnpg(postgres: PostgresServerHandle, objects: K8sObject[]): void {
  const user = findObject<{ stringData: Record<string, string> }>(
    objects,
    'Secret',
    'o2-openobserve-openobservepguser',
  );
  const name = user.stringData['username'] ?? '';
  const password = (user.stringData['password'] ?? '').replaceAll("'", "''");
  execFileSync(psqlBinary(), [
    postgres.adminDsn,
    '-v',
    'ON_ERROR_STOP=1',
    '-c',
    `CREATE ROLE "${name}" LOGIN SUPERUSER CREATEROLE PASSWORD '${password}'`,
    '-c',
    `CREATE DATABASE app OWNER "${name}"`,
  ]);
}

describe('chart to processes: the rendered env runs a working cluster', () => {
  const objects = helmTemplate({
    chart: 'openobserve',
    release: 'o2',
    namespace: NS,
    valuesFiles: [articleValuesFile('o2-values.yaml')],
  });
  let nats: NatsServerHandle | undefined;
  let postgres: PostgresServerHandle | undefined;
  let minio: MinioServerHandle | undefined;
  let pods: TempDir | undefined;
  const processes = new Map<string, ProductProcess>();
  const envs = new Map<string, Record<string, string>>();
  let root = { email: '', password: '' };

  const output = () =>
    [...processes].map(([role, p]) => `--- ${role}\n${p.output().slice(-4_000)}`).join('\n');
  const router = () => {
    const p = processes.get('router');
    if (p === undefined) throw new Error('no router');
    return p;
  };
  const api = async (path: string, init: RequestInit = {}) => {
    const headers = new Headers(init.headers);
    headers.set('authorization', basicAuth(root.email, root.password));
    if (init.body !== undefined) headers.set('content-type', 'application/json');
    const response = await fetch(`${router().url}${path}`, { ...init, headers });
    return { status: response.status, text: await response.text() };
  };
  const eventually = async <T>(read: () => Promise<T>, accept: (value: T) => boolean) => {
    const deadline = Date.now() + GENEROUS_MS;
    for (;;) {
      const value = await read().catch(() => undefined);
      if ((value !== undefined && accept(value)) || Date.now() > deadline) return value;
      await new Promise((r) => setTimeout(r, 250));
    }
  };
  const count = async (where = '') => {
    const now = Date.now();
    const body = JSON.stringify({
      query: {
        sql: `SELECT count(*) AS n FROM "${STREAM}"${where}`,
        start_time: (now - 3_600_000) * 1000,
        end_time: (now + 3_600_000) * 1000,
        size: 10,
      },
    });
    const answer = await api('/api/default/_search', { method: 'POST', body });
    if (answer.status !== 200)
      throw new Error(`search ${answer.status.toString()}: ${answer.text}`);
    return Number((JSON.parse(answer.text) as { hits: { n: unknown }[] }).hits[0]?.n);
  };

  beforeAll(async () => {
    const minioSecret = findObject<{ data: Record<string, string> }>(
      objects,
      'Secret',
      'o2-minio',
    ).data;
    const decode = (b64: string | undefined) => Buffer.from(b64 ?? '', 'base64').toString('utf8');
    [nats, postgres, minio, pods] = await Promise.all([
      startNatsServer(),
      startPostgresServer(),
      startMinioServer({
        accessKey: decode(minioSecret['rootUser']),
        secretKey: decode(minioSecret['rootPassword']),
      }),
      makeTempDir('chart-pods'),
    ]);
    provisionLikeCnpg(postgres, objects);
    // Only host names change: ports, users, passwords, database and bucket are the chart's.
    const hosts = {
      [`o2-nats.${NS}.svc.cluster.local:4222`]: nats.url.replace('nats://', ''),
      [`o2-minio.${NS}.svc.cluster.local:9000`]: minio.endpoint.replace('http://', ''),
      [`o2-openobserve-postgres-rw.${NS}.svc.cluster.local:5432`]: `${postgres.host}:${postgres.port.toString()}`,
    };
    for (const [role, kind, pod] of PODS) {
      const rendered = containerEnv(objects, kind, `o2-openobserve-${role}`, {
        name: pod,
        ip: '127.0.0.1',
      });
      envs.set(role, mapServiceHosts(rendered, hosts));
    }
    const routerEnv = envs.get('router') ?? {};
    root = {
      email: routerEnv['ZO_ROOT_USER_EMAIL'] ?? '',
      password: routerEnv['ZO_ROOT_USER_PASSWORD'] ?? '',
    };
    const start = async (role: string, pod: string) => {
      // The pod's own network namespace and root file system: own ports, own working directory
      // (so ZO_DATA_DIR=./data/ lands on "its PVC"), host name = pod name.
      const podRoot = join(pods?.path ?? '', pod);
      await mkdir(podRoot, { recursive: true });
      const [httpPort, grpcPort] = [await freePort(), await freePort()];
      const env = {
        ...envs.get(role),
        ZO_HTTP_PORT: httpPort.toString(),
        ZO_GRPC_PORT: grpcPort.toString(),
        ZO_INSTANCE_NAME: pod,
        RUST_LOG: 'warn',
      };
      const process = await startProductProcess(role, env, { port: httpPort, cwd: podRoot });
      processes.set(role, process);
      return { process, grpcPort };
    };
    // The router first: it migrates the metastore and creates the root user.
    const routerPod = await start('router', PODS[0][2]);
    await waitUntilHealthy(routerPod.process, GENEROUS_MS);
    const workers = await Promise.all(PODS.slice(1).map(([role, , pod]) => start(role, pod)));
    for (const worker of workers.slice(0, 2)) await waitForPort(worker.grpcPort, GENEROUS_MS);
  }, 4 * GENEROUS_MS);

  afterAll(async () => {
    await Promise.all([...processes.values()].reverse().map((p) => p.stop()));
    await Promise.all([nats?.stop(), postgres?.stop(), minio?.stop()]);
    await pods?.remove();
  });

  it('maps every in-cluster address the roles use to a local server (the enterprise-only OpenFGA URL aside)', () => {
    for (const [role, env] of envs) {
      const unmapped = Object.entries(env).filter(
        ([key, value]) => value.includes('.svc.cluster.local') && key !== 'O2_OPENFGA_BASE_URL',
      );
      expect(unmapped, role).toEqual([]);
      expect(env['ZO_NODE_ROLE'], role).toBe(role);
      expect(env['ZO_S3_BUCKET_NAME'], role).toBe('mysuperduperbucket');
    }
  });

  it('keeps all five roles running on the rendered env (none refused its settings)', async () => {
    await new Promise((r) => setTimeout(r, 1_000));
    const stopped = [...processes].filter(
      ([, p]) => p.child.exitCode !== null || p.child.signalCode !== null,
    );
    expect(
      stopped.map(([role]) => role),
      output(),
    ).toEqual([]);
    expect([...processes.keys()].sort()).toEqual([
      'alertmanager',
      'compactor',
      'ingester',
      'querier',
      'router',
    ]);
  });

  it(
    'ingests through the router and answers the query from the ingester, then from MinIO',
    async () => {
      const ingested = await eventually(
        () => api(`/api/default/${STREAM}/_json`, { method: 'POST', body: JSON.stringify(ROWS) }),
        (a) => a.status !== 503,
      );
      expect(ingested?.text, output()).toBe(
        `{"code":200,"status":[{"name":"${STREAM}","successful":${ROWS.length.toString()},"failed":0}]}`,
      );
      expect(
        await eventually(
          () => count(),
          (n) => n === ROWS.length,
        ),
        output(),
      ).toBe(ROWS.length);
      expect(await count(` WHERE level = 'error'`)).toBe(10);

      const flushed = await api('/node/flush', { method: 'PUT' });
      expect(flushed.status, flushed.text).toBe(200);
      const bucketDir = join(minio?.dataDir ?? '', 'mysuperduperbucket');
      const parquet = await eventually(
        async () =>
          (await readdir(bucketDir, { recursive: true })).filter((f) => f.includes(STREAM)),
        (files) => files.some((f) => f.endsWith('.parquet')),
      );
      expect(
        parquet?.some((f) => f.endsWith('.parquet')),
        output(),
      ).toBe(true);
      expect(await count()).toBe(ROWS.length);
      // ZO_DATA_DIR=./data/ is relative: the ingester's WAL is in its own "pod"'s ./data, the
      // volume the StatefulSet mounts at /data next to a working directory of /.
      const ingesterData = join(pods?.path ?? '', 'o2-openobserve-ingester-0', 'data');
      expect(
        (await readdir(ingesterData, { recursive: true })).length,
        ingesterData,
      ).toBeGreaterThan(0);
    },
    3 * GENEROUS_MS,
  );
});
