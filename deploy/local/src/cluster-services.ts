import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from '@o2/testing';
import type { ClusterProcess } from './cluster-state.js';
import { REPO_ROOT } from './cluster-state.js';

export type ServiceRole = 'router' | 'ingester' | 'querier' | 'compactor' | 'alertmanager';

export interface ServicePlan {
  name: string;
  role: ServiceRole;
}

/** Start order: the router first (it migrates the metastore and creates the root user). */
export const CLUSTER_SERVICES: readonly ServicePlan[] = [
  { name: 'router-1', role: 'router' },
  { name: 'ingester-1', role: 'ingester' },
  { name: 'ingester-2', role: 'ingester' },
  { name: 'querier-1', role: 'querier' },
  { name: 'querier-2', role: 'querier' },
  { name: 'compactor-1', role: 'compactor' },
  { name: 'alertmanager-1', role: 'alertmanager' },
];

export interface StartedService extends ClusterProcess {
  role: ServiceRole;
  grpcPort: number;
  httpPort: number;
}

/**
 * Spawns `node services/<role>/dist/main.js` detached, in its own session, with its output in
 * `<dir>/logs/<name>.log`, so it outlives both `pnpm cluster up` and the supervisor.
 */
export async function startClusterService(
  plan: ServicePlan,
  dir: string,
  env: Record<string, string>,
  httpPort?: number,
): Promise<StartedService> {
  const grpcPort = await freePort();
  const port = httpPort ?? (await freePort());
  const log = join(dir, 'logs', `${plan.name}.log`);
  const dataDir = join(dir, 'data', plan.name);
  mkdirSync(dataDir, { recursive: true });
  const fd = openSync(log, 'a');
  try {
    const child = spawn(
      process.execPath,
      [join(REPO_ROOT, 'services', plan.role, 'dist/main.js')],
      {
        cwd: REPO_ROOT,
        detached: true,
        stdio: ['ignore', fd, fd],
        env: {
          // As the Dockerfile and `pnpm start` run it (see deploy/docker/Dockerfile).
          MALLOC_ARENA_MAX: '2',
          MALLOC_MMAP_THRESHOLD_: '131072',
          ...env,
          ZO_INSTANCE_NAME: plan.name,
          ZO_HTTP_ADDR: '127.0.0.1',
          ZO_HTTP_PORT: String(port),
          ZO_GRPC_ADDR: '127.0.0.1',
          ZO_GRPC_PORT: String(grpcPort),
          ZO_DATA_DIR: `${dataDir}/`,
        },
      },
    );
    child.unref();
    if (child.pid === undefined) throw new Error(`could not spawn ${plan.name}; see ${log}`);
    const started = {
      ...plan,
      kind: 'service' as const,
      pid: child.pid,
      log,
      grpcPort,
      httpPort: port,
    };
    // Compactor and alertmanager serve nobody; the others' client port is the one worth showing.
    if (plan.role === 'router') return { ...started, port };
    if (plan.role === 'ingester' || plan.role === 'querier') return { ...started, port: grpcPort };
    return started;
  } finally {
    closeSync(fd);
  }
}
