import { randomBytes } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startMinioServer, startNatsServer, startPostgresServer, waitForPort } from '@o2/testing';
import type { MinioServerHandle, NatsServerHandle, PostgresServerHandle } from '@o2/testing';
import { CLUSTER_SERVICES, startClusterService } from './cluster-services.js';
import type { StartedService } from './cluster-services.js';
import { isAlive, rootCredentials, writeState } from './cluster-state.js';
import type { ClusterState } from './cluster-state.js';
import { stopProcess } from './stop-process.js';

/*
 * The detached process behind `pnpm cluster up`. It starts NATS, Postgres and MinIO through the
 * test harness — whose handles tie each server's life to the process that started it — and so
 * stays alive, idle, to keep them; `pnpm cluster down` SIGTERMs it last, and it then stops the
 * three servers and removes their temp dirs. The services it spawns are detached from it.
 */

const READY_TIMEOUT_MS = 120_000;
const SERVICE_GRACE_MS = 10_000;
const BUCKET = 'o2ts';
const DEFAULT_ROUTER_PORT = 5080;

const dir = process.argv[2];
if (dir === undefined) throw new Error('usage: supervisor.js <cluster dir>');

const state: ClusterState = {
  status: 'starting',
  supervisorPid: process.pid,
  processes: [],
  dirs: [],
};
const infra: Array<{ stop(): Promise<void> }> = [];
const services: StartedService[] = [];
let stopping = false;
// Nothing else holds the event loop open once the servers are up.
const keepAlive = setInterval(() => undefined, 60_000);

process.on('SIGTERM', () => void shutdown(0));
process.on('SIGINT', () => void shutdown(0));
void start(dir);

async function start(clusterDir: string): Promise<void> {
  try {
    await writeState(clusterDir, state);
    const [nats, postgres, minio] = await startInfra();
    recordInfra(nats, postgres, minio);
    await writeState(clusterDir, state);

    const env = serviceEnv(await postgres.createDatabase('o2ts'), nats, minio);
    const [routerPlan, ...rest] = CLUSTER_SERVICES;
    if (routerPlan === undefined) throw new Error('no router in the cluster plan');
    const router = await startClusterService(routerPlan, clusterDir, env, await routerPort());
    services.push(router);
    state.processes.push(router);
    state.routerUrl = `http://127.0.0.1:${router.httpPort}`;
    await writeState(clusterDir, state);
    await waitReady(router, () => httpOk(`${state.routerUrl}/healthz`));

    for (const plan of rest) {
      const started = await startClusterService(plan, clusterDir, env);
      services.push(started);
      state.processes.push(started);
    }
    await writeState(clusterDir, state);
    // A node registers before its gRPC server listens, so an open port means it is findable.
    await Promise.all(
      services
        .filter((s) => s.role === 'ingester' || s.role === 'querier')
        .map((s) => readyOrRestarted(s, clusterDir, env)),
    );
    const dead = services.filter((s) => !isAlive(s.pid));
    if (dead.length > 0)
      throw new Error(
        `exited during start: ${dead.map((s) => `${s.name} (${s.log})${logTail(s.log)}`).join(', ')}`,
      );
    state.status = 'ready';
    await writeState(clusterDir, state);
  } catch (error) {
    state.status = 'failed';
    state.error = error instanceof Error ? error.message : String(error);
    await writeState(clusterDir, state).catch(() => undefined);
    process.stderr.write(`cluster start failed: ${state.error}\n`);
    await shutdown(1);
  }
}

async function startInfra(): Promise<[NatsServerHandle, PostgresServerHandle, MinioServerHandle]> {
  const results = await Promise.allSettled([
    startNatsServer(),
    startPostgresServer(),
    startMinioServer(),
  ]);
  for (const result of results) if (result.status === 'fulfilled') infra.push(result.value);
  const [nats, postgres, minio] = results;
  if (nats.status === 'rejected') throw nats.reason;
  if (postgres.status === 'rejected') throw postgres.reason;
  if (minio.status === 'rejected') throw minio.reason;
  return [nats.value, postgres.value, minio.value];
}

/** The harness handles carry no pids; our children and Postgres's pid file name them. */
function recordInfra(
  nats: NatsServerHandle,
  postgres: PostgresServerHandle,
  minio: MinioServerHandle,
): void {
  const children = childProcesses();
  const natsChild = children.find(
    (c) => c.argv[0]?.endsWith('nats-server') === true && c.argv.includes(String(nats.port)),
  );
  const minioChild = children.find((c) => c.argv.includes(`127.0.0.1:${minio.port}`));
  if (natsChild !== undefined) {
    state.processes.push({ name: 'nats', kind: 'infra', pid: natsChild.pid, port: nats.port });
    const storeDir = natsChild.argv[natsChild.argv.indexOf('-sd') + 1];
    if (storeDir !== undefined) state.dirs.push(storeDir);
  }
  const pg = postmaster(postgres.port);
  if (pg !== undefined) {
    state.processes.push({ name: 'postgres', kind: 'infra', pid: pg.pid, port: postgres.port });
    state.dirs.push(pg.dir);
  }
  if (minioChild !== undefined)
    state.processes.push({ name: 'minio', kind: 'infra', pid: minioChild.pid, port: minio.port });
  state.dirs.push(minio.dataDir);
}

function childProcesses(): Array<{ pid: number; argv: string[] }> {
  const found: Array<{ pid: number; argv: string[] }> = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid !== process.pid) continue;
      const argv = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').filter(Boolean);
      found.push({ pid: Number(entry), argv });
    } catch {
      // Exited while we looked.
    }
  }
  return found;
}

/** The postmaster of the harness cluster on `port`: its pid file holds pid, dir and port. */
function postmaster(port: number): { pid: number; dir: string } | undefined {
  for (const entry of readdirSync(tmpdir())) {
    if (!entry.startsWith('o2ts-pg-')) continue;
    const dir = join(tmpdir(), entry);
    try {
      const lines = readFileSync(join(dir, 'data', 'postmaster.pid'), 'utf8').split('\n');
      if (Number(lines[3]) === port) return { pid: Number(lines[0]), dir };
    } catch {
      // Not started, or stopped.
    }
  }
  return undefined;
}

function serviceEnv(
  dsn: string,
  nats: NatsServerHandle,
  minio: MinioServerHandle,
): Record<string, string> {
  const root = rootCredentials(process.env);
  const inherited = Object.entries(process.env).filter(
    (entry): entry is [string, string] => entry[0].startsWith('ZO_') && entry[1] !== undefined,
  );
  return {
    PATH: process.env['PATH'] ?? '',
    HOME: process.env['HOME'] ?? '/tmp',
    ...Object.fromEntries(inherited),
    ZO_LOCAL_MODE: 'false',
    ZO_META_POSTGRES_DSN: dsn,
    ZO_NATS_ADDR: nats.url,
    ZO_S3_SERVER_URL: minio.endpoint,
    ZO_S3_REGION_NAME: minio.region,
    ZO_S3_ACCESS_KEY: minio.accessKey,
    ZO_S3_SECRET_KEY: minio.secretKey,
    ZO_S3_BUCKET_NAME: BUCKET,
    ZO_INTERNAL_GRPC_TOKEN: randomBytes(24).toString('hex'),
    ZO_ROOT_USER_EMAIL: root.email,
    ZO_ROOT_USER_PASSWORD: root.password,
  };
}

/** `O2TS_CLUSTER_ROUTER_PORT` (0 = any), else 5080 when it is free, else any free port. */
async function routerPort(): Promise<number | undefined> {
  const wanted = process.env['O2TS_CLUSTER_ROUTER_PORT'];
  if (wanted !== undefined && wanted !== '')
    return Number(wanted) === 0 ? undefined : Number(wanted);
  return (await canListen(DEFAULT_ROUTER_PORT)) ? DEFAULT_ROUTER_PORT : undefined;
}

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/**
 * Waits for `service`'s gRPC port. A service that lost its port to another process is started
 * again on new ports, up to twice: `freePort` picks a port that is free only until someone
 * binds it, and on a busy machine (the test suite) someone sometimes does first.
 */
async function readyOrRestarted(
  service: StartedService,
  clusterDir: string,
  env: Record<string, string>,
): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await waitReady(service, () => portOpen(service.grpcPort));
      return;
    } catch (error) {
      const plan = CLUSTER_SERVICES.find((p) => p.name === service.name);
      const lostPort = !isAlive(service.pid) && logTail(service.log).includes('EADDRINUSE');
      if (attempt >= 2 || plan === undefined || !lostPort) throw error;
      const restarted = await startClusterService(plan, clusterDir, env);
      // In both lists at once: a failure from here on must stop the new process, not the old.
      services[services.indexOf(service)] = restarted;
      state.processes = state.processes.map((p) => (p.name === restarted.name ? restarted : p));
      await writeState(clusterDir, state);
      service = restarted;
    }
  }
}

async function waitReady(service: StartedService, ready: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    if (!isAlive(service.pid))
      throw new Error(
        `${service.name} exited during start; see ${service.log}${logTail(service.log)}`,
      );
    if (await ready()) return;
    if (Date.now() > deadline)
      throw new Error(`${service.name} not ready after ${READY_TIMEOUT_MS} ms; see ${service.log}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function httpOk(url: string): Promise<boolean> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
    await response.body?.cancel();
    return response.status === 200;
  } catch {
    return false;
  }
}

function portOpen(port: number): Promise<boolean> {
  return waitForPort(port, 0).then(
    () => true,
    () => false,
  );
}

/** Services first, in reverse start order (normally `down` stopped them already), then servers. */
async function shutdown(code: number): Promise<void> {
  if (stopping) return;
  stopping = true;
  for (const service of [...services].reverse()) await stopProcess(service.pid, SERVICE_GRACE_MS);
  for (const server of [...infra].reverse()) await server.stop().catch(() => undefined);
  clearInterval(keepAlive);
  process.exit(code);
}

/**
 * The last lines of a service's log, indented, for an error that names it: `pnpm cluster up`
 * removes nothing on failure, but a test's temp dir (and so the log) is gone by the time
 * anyone reads its report.
 */
function logTail(path: string | undefined, lines = 12): string {
  if (path === undefined) return '';
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return '';
  }
  const tail = text.trimEnd().split('\n').slice(-lines);
  return tail.length === 0
    ? ''
    : `; its log ends:\n${tail.map((l) => `    ${l.slice(0, 500)}`).join('\n')}\n`;
}
