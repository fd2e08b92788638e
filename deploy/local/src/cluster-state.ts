import { readFileSync } from 'node:fs';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root, from this file's place in deploy/local/src or deploy/local/dist. */
export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

export interface ClusterProcess {
  name: string;
  kind: 'infra' | 'service';
  /** The service role (router, ingester …); absent for NATS, Postgres and MinIO. */
  role?: string;
  pid: number;
  /** The port a client talks to: HTTP for the router, gRPC for ingesters and queriers. */
  port?: number;
  log?: string;
}

/** Everything `status` and `down` need, written by the supervisor as the cluster comes up. */
export interface ClusterState {
  status: 'starting' | 'ready' | 'failed';
  error?: string;
  supervisorPid: number;
  routerUrl?: string;
  processes: ClusterProcess[];
  /** Temp dirs (Postgres cluster, MinIO objects, NATS store) that `down` removes. */
  dirs: string[];
}

/** The README's trial credentials, unless the environment names others. */
export function rootCredentials(env: NodeJS.ProcessEnv): { email: string; password: string } {
  const email = env['ZO_ROOT_USER_EMAIL'];
  const password = env['ZO_ROOT_USER_PASSWORD'];
  return {
    email: email !== undefined && email !== '' ? email : 'root@example.com',
    password: password !== undefined && password !== '' ? password : 'Complexpass#123',
  };
}

/** `O2TS_CLUSTER_DIR`, or `.cluster/` in the repository (gitignored). */
export function clusterDir(env: NodeJS.ProcessEnv): string {
  const fromEnv = env['O2TS_CLUSTER_DIR'];
  return fromEnv !== undefined && fromEnv !== '' ? resolve(fromEnv) : join(REPO_ROOT, '.cluster');
}

export function stateFile(dir: string): string {
  return join(dir, 'cluster.json');
}

export async function readState(dir: string): Promise<ClusterState | undefined> {
  try {
    return JSON.parse(await readFile(stateFile(dir), 'utf8')) as ClusterState;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** Written through a temp file and a rename, so a reader never sees half a state. */
export async function writeState(dir: string, state: ClusterState): Promise<void> {
  const tmp = `${stateFile(dir)}.tmp`;
  await writeFile(tmp, `${JSON.stringify(state, null, 2)}\n`);
  await rename(tmp, stateFile(dir));
}

/**
 * Whether `pid` is a live process. A zombie counts as dead: a detached process whose parent
 * is gone may wait a while for a reaper, yet it no longer runs.
 */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The state letter follows the command name in parentheses, which may itself hold spaces.
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return true;
  }
}
