import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AppError } from '@o2/errors';
import { clusterDir, isAlive, readState, rootCredentials, stateFile } from './cluster-state.js';
import type { ClusterState } from './cluster-state.js';
import { stopProcess } from './stop-process.js';

/*
 * `pnpm cluster up | status | down`: a local cluster of real processes on loopback.
 * `up` starts a detached supervisor (see supervisor.ts) and returns once the router is healthy.
 */

/** Long enough for a first run that installs nats-server, Postgres or builds MinIO. */
const UP_TIMEOUT_MS = 30 * 60_000;
const SERVICE_GRACE_MS = 10_000;
/** The supervisor stops NATS (≤ 10 s), Postgres and MinIO (≤ 5 s) one after another. */
const SUPERVISOR_GRACE_MS = 30_000;
const STOP_ORDER = ['alertmanager', 'compactor', 'querier', 'ingester', 'router'];

const out = (line: string): boolean => process.stdout.write(`${line}\n`);

async function up(dir: string): Promise<number> {
  const previous = await readState(dir);
  if (previous !== undefined && isAlive(previous.supervisorPid))
    throw new AppError(
      'ALREADY_EXISTS',
      `a cluster is already running from ${dir}; run down first`,
    );
  if (previous !== undefined) await down(dir);

  mkdirSync(join(dir, 'logs'), { recursive: true });
  const logPath = join(dir, 'logs', 'supervisor.log');
  const log = openSync(logPath, 'a');
  const supervisor = spawn(
    process.execPath,
    [fileURLToPath(new URL('./supervisor.js', import.meta.url)), dir],
    { detached: true, stdio: ['ignore', log, log], env: process.env },
  );
  supervisor.unref();
  closeSync(log);
  const pid = supervisor.pid;
  if (pid === undefined) throw new AppError('INTERNAL', 'could not spawn the cluster supervisor');
  out(`starting the cluster in ${dir} (log: ${logPath})`);

  const deadline = Date.now() + UP_TIMEOUT_MS;
  for (;;) {
    const state = await readState(dir).catch(() => undefined);
    if (state?.status === 'ready') return printReady(state);
    const failed = state?.status === 'failed' || !isAlive(pid) || Date.now() > deadline;
    if (failed) {
      const reason =
        state?.error ?? 'the supervisor stopped or timed out before the cluster was up';
      process.stderr.write(`cluster start failed: ${reason}\n${tail(logPath)}\n`);
      await down(dir);
      return 1;
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

function printReady(state: ClusterState): number {
  const root = rootCredentials(process.env);
  const fromEnv = (process.env['ZO_ROOT_USER_PASSWORD'] ?? '') !== '';
  // A password the user chose stays out of the terminal; the trial one is documented anyway.
  const password = fromEnv ? '(as in ZO_ROOT_USER_PASSWORD)' : root.password;
  out(`cluster is up: ${state.routerUrl ?? '?'}`);
  out(`root user: ${root.email} / ${password}`);
  out(`try: curl -u '${root.email}:<password>' ${state.routerUrl ?? ''}/api/default/users`);
  out('status: pnpm cluster status    stop: pnpm cluster down');
  return 0;
}

async function status(dir: string): Promise<number> {
  const state = await readState(dir);
  if (state === undefined) {
    out(`no cluster state in ${dir}`);
    return 1;
  }
  out(`${state.status}${state.routerUrl === undefined ? '' : `  router ${state.routerUrl}`}`);
  const rows = [
    { name: 'supervisor', pid: state.supervisorPid, port: undefined as number | undefined },
    ...state.processes,
  ];
  let allAlive = true;
  for (const row of rows) {
    const alive = isAlive(row.pid);
    allAlive &&= alive;
    const port = row.port === undefined ? '-' : String(row.port);
    out(
      `${row.name.padEnd(16)} pid ${String(row.pid).padEnd(8)} port ${port.padEnd(6)} ${alive ? 'alive' : 'dead'}`,
    );
  }
  return allAlive ? 0 : 1;
}

/** Services in reverse start order, then the supervisor (which stops the servers), then checks. */
async function down(dir: string): Promise<number> {
  const state = await readState(dir);
  if (state === undefined) {
    out(`no cluster state in ${dir}; nothing to stop`);
    return 0;
  }
  const services = state.processes.filter((p) => p.kind === 'service');
  const forced: string[] = [];
  for (const role of STOP_ORDER) {
    const tier = services.filter((s) => s.role === role);
    const ends = await Promise.all(tier.map((s) => stopProcess(s.pid, SERVICE_GRACE_MS)));
    tier.forEach((s, i) => ends[i] === 'killed' && forced.push(s.name));
  }
  await stopProcess(state.supervisorPid, SUPERVISOR_GRACE_MS);
  // Left only when the supervisor died without stopping them.
  for (const server of state.processes.filter((p) => p.kind === 'infra').reverse())
    await stopProcess(server.pid, SERVICE_GRACE_MS);
  for (const path of state.dirs) await rm(path, { recursive: true, force: true });
  await rm(join(dir, 'data'), { recursive: true, force: true });

  const pids = [state.supervisorPid, ...state.processes.map((p) => p.pid)];
  const alive = pids.filter(isAlive);
  if (alive.length > 0)
    throw new AppError('INTERNAL', `still alive after down: pids ${alive.join(', ')}`);
  await rm(stateFile(dir), { force: true });
  if (forced.length > 0) out(`killed after ${SERVICE_GRACE_MS} ms: ${forced.join(', ')}`);
  out(`stopped ${pids.length} processes; logs kept in ${join(dir, 'logs')}`);
  return 0;
}

function tail(path: string): string {
  try {
    return readFileSync(path, 'utf8').split('\n').slice(-30).join('\n');
  } catch {
    return '';
  }
}

async function main(): Promise<number> {
  const dir = clusterDir(process.env);
  const command = process.argv[2] ?? '';
  switch (command) {
    case 'up':
      return up(dir);
    case 'status':
      return status(dir);
    case 'down':
      return down(dir);
    default:
      process.stderr.write('usage: pnpm cluster up | status | down\n');
      return 2;
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
