import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
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
import { basicAuth, startProductProcess, waitUntilHealthy } from '../../product-process.js';
import type { ProductProcess } from '../../product-process.js';
import { articleValuesFile, findObject, helmTemplate } from './helm.js';
import type { K8sObject } from './helm.js';
import { containerEnv, mapServiceHosts } from './pod-env.js';

// The five roles started from the env charts/openobserve renders for the article values, with
// only the in-cluster Service hosts swapped for local NATS, Postgres and MinIO servers that use
// the chart's own credentials. Each "pod" gets its own ports, its own working directory (a
// relative ZO_DATA_DIR lands on "its volume") and its pod name as host name.

export const CHART_NAMESPACE = 'openobserve';
export const GENEROUS_MS = 90_000;
export type Role = 'router' | 'ingester' | 'querier' | 'compactor' | 'alertmanager';

/** Each role's workload kind and the name its (first) pod gets. */
export const PODS: readonly (readonly [Role, 'Deployment' | 'StatefulSet', string])[] = [
  ['router', 'Deployment', 'o2-openobserve-router-5d9f8b7c6d-abcde'],
  ['ingester', 'StatefulSet', 'o2-openobserve-ingester-0'],
  ['querier', 'StatefulSet', 'o2-openobserve-querier-0'],
  ['compactor', 'Deployment', 'o2-openobserve-compactor-7f6d5c4b3a-fghij'],
  ['alertmanager', 'Deployment', 'o2-openobserve-alertmanager-6c5b4a3f2e-klmno'],
];

export interface ChartCluster {
  objects: K8sObject[];
  minio: MinioServerHandle;
  /** One directory per pod, named after it. */
  podsDir: string;
  /** Each role's env as rendered, after the host swap (before the per-pod port overrides). */
  envs: Map<Role, Record<string, string>>;
  processes: Map<Role, ProductProcess>;
  /** An authenticated call to the router as the chart's root user. */
  api(path: string, init?: RequestInit): Promise<{ status: number; text: string }>;
  /** The last lines of every role's output, for failure messages. */
  output(): string;
  stop(): Promise<void>;
}

function psqlBinary(): string {
  const versions = readdirSync('/usr/lib/postgresql').sort((a, b) => Number(b) - Number(a));
  if (versions[0] === undefined)
    throw new Error('no /usr/lib/postgresql/<version>: install postgresql');
  return `/usr/lib/postgresql/${versions[0]}/bin/psql`;
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

/**
 * Renders the chart and starts the five roles; `script(role)` picks each role's entry point
 * (default: the repository's `services/<role>/dist/main.js`).
 */
export async function startChartCluster(
  options: { script?: (role: Role) => string } = {},
): Promise<ChartCluster> {
  const objects = helmTemplate({
    chart: 'openobserve',
    release: 'o2',
    namespace: CHART_NAMESPACE,
    valuesFiles: [articleValuesFile('o2-values.yaml')],
  });
  let nats: NatsServerHandle | undefined;
  let postgres: PostgresServerHandle | undefined;
  let minio: MinioServerHandle | undefined;
  let pods: TempDir | undefined;
  const processes = new Map<Role, ProductProcess>();
  const stop = async () => {
    await Promise.all([...processes.values()].reverse().map((p) => p.stop()));
    await Promise.all([nats?.stop(), postgres?.stop(), minio?.stop()]);
    await pods?.remove();
  };
  const output = () =>
    [...processes].map(([role, p]) => `--- ${role}\n${p.output().slice(-4_000)}`).join('\n');
  try {
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
      [`o2-nats.${CHART_NAMESPACE}.svc.cluster.local:4222`]: nats.url.replace('nats://', ''),
      [`o2-minio.${CHART_NAMESPACE}.svc.cluster.local:9000`]: minio.endpoint.replace('http://', ''),
      [`o2-openobserve-postgres-rw.${CHART_NAMESPACE}.svc.cluster.local:5432`]: `${postgres.host}:${postgres.port.toString()}`,
    };
    const envs = new Map<Role, Record<string, string>>();
    for (const [role, kind, pod] of PODS) {
      const rendered = containerEnv(objects, kind, `o2-openobserve-${role}`, {
        name: pod,
        ip: '127.0.0.1',
      });
      envs.set(role, mapServiceHosts(rendered, hosts));
    }
    const podsDir = pods.path;
    const start = async (role: Role, pod: string) => {
      const podRoot = join(podsDir, pod);
      await mkdir(podRoot, { recursive: true });
      const [httpPort, grpcPort] = [await freePort(), await freePort()];
      const env = {
        ...envs.get(role),
        ZO_HTTP_PORT: httpPort.toString(),
        ZO_GRPC_PORT: grpcPort.toString(),
        ZO_INSTANCE_NAME: pod,
        RUST_LOG: 'warn',
      };
      const script = options.script?.(role);
      const process = await startProductProcess(role, env, {
        port: httpPort,
        cwd: podRoot,
        ...(script === undefined ? {} : { script }),
      });
      processes.set(role, process);
      return { process, grpcPort };
    };
    // The router first: it migrates the metastore and creates the root user.
    const router = await start('router', PODS[0]?.[2] ?? 'router');
    await waitUntilHealthy(router.process, GENEROUS_MS);
    const workers = await Promise.all(PODS.slice(1).map(([role, , pod]) => start(role, pod)));
    for (const worker of workers.slice(0, 2)) await waitForPort(worker.grpcPort, GENEROUS_MS);
    const routerEnv = envs.get('router') ?? {};
    const auth = basicAuth(
      routerEnv['ZO_ROOT_USER_EMAIL'] ?? '',
      routerEnv['ZO_ROOT_USER_PASSWORD'] ?? '',
    );
    const api = async (path: string, init: RequestInit = {}) => {
      const headers = new Headers(init.headers);
      headers.set('authorization', auth);
      if (init.body !== undefined) headers.set('content-type', 'application/json');
      const response = await fetch(`${router.process.url}${path}`, { ...init, headers });
      return { status: response.status, text: await response.text() };
    };
    return { objects, minio, podsDir, envs, processes, api, output, stop };
  } catch (error) {
    const log = output();
    await stop();
    throw new Error(`the chart's cluster did not start: ${(error as Error).message}\n${log}`, {
      cause: error,
    });
  }
}

/** Polls `read` until `accept` holds; the last value (or undefined) after the deadline. */
export async function eventually<T>(
  read: () => Promise<T>,
  accept: (value: T) => boolean,
): Promise<T | undefined> {
  const deadline = Date.now() + GENEROUS_MS;
  for (;;) {
    const value = await read().catch(() => undefined);
    if ((value !== undefined && accept(value)) || Date.now() > deadline) return value;
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Ingests `rows` into `stream` through the router, resending while no ingester is registered. */
export async function ingestRows(
  cluster: ChartCluster,
  stream: string,
  rows: object[],
): Promise<string | undefined> {
  const answer = await eventually(
    () =>
      cluster.api(`/api/default/${stream}/_json`, { method: 'POST', body: JSON.stringify(rows) }),
    (a) => a.status !== 503,
  );
  return answer?.text;
}

/** `SELECT count(*)` over the last and next hour of `stream`, through the router. */
export async function countRows(
  cluster: ChartCluster,
  stream: string,
  where = '',
): Promise<number> {
  const now = Date.now();
  const body = JSON.stringify({
    query: {
      sql: `SELECT count(*) AS n FROM "${stream}"${where}`,
      start_time: (now - 3_600_000) * 1000,
      end_time: (now + 3_600_000) * 1000,
      size: 10,
    },
  });
  const answer = await cluster.api('/api/default/_search', { method: 'POST', body });
  if (answer.status !== 200) throw new Error(`search ${answer.status.toString()}: ${answer.text}`);
  return Number((JSON.parse(answer.text) as { hits: { n: unknown }[] }).hits[0]?.n);
}
