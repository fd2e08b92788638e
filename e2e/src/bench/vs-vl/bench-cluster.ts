import { waitForPort } from '@o2/testing';
import { startRoleCluster } from '../../cluster/role-cluster.js';
import type { RoleCluster, RoleNode } from '../../cluster/role-cluster.js';
import { waitUntilHealthy } from '../../product-process.js';
import { AUTH, o2Server } from './bench-servers.js';
import type { BenchServer } from './bench-servers.js';

/** `pnpm cluster`'s plan: the router first (it migrates the metastore and makes the root user). */
const WORKERS = [
  ['ingester', 'ingester-1'],
  ['ingester', 'ingester-2'],
  ['querier', 'querier-1'],
  ['querier', 'querier-2'],
  ['compactor', 'compactor-1'],
  ['alertmanager', 'alertmanager-1'],
] as const;

export interface BenchCluster {
  /** The router, driven exactly like the single node (same `_bulk`, flush and `_search`). */
  server: BenchServer;
  url: string;
}

export type ClusterStart = { ok: true; cluster: BenchCluster } | { ok: false; reason: string };

class Deadline {
  private readonly at: number;
  constructor(ms: number) {
    this.at = Date.now() + ms;
  }
  left(): number {
    return Math.max(0, this.at - Date.now());
  }
  /** `work`, or a rejection naming `what` once the deadline passes first. */
  async race<T>(work: Promise<T>, what: string): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what}: not done in time`)), this.left());
    });
    try {
      return await Promise.race([work, late]);
    } finally {
      clearTimeout(timer);
    }
  }
}

/**
 * The `pnpm cluster` topology — real NATS, Postgres and MinIO from the test harness, a router,
 * 2 ingesters, 2 queriers, a compactor and an alertmanager as their own processes — ready once
 * the router answers a search (a querier is registered) and both ingesters listen. Never throws:
 * a start that fails or outlasts `timeoutMs` is stopped and answered with the reason, so the
 * bench can print it and mark the cluster rows FAILED.
 */
export async function startBenchCluster(timeoutMs: number): Promise<ClusterStart> {
  const deadline = new Deadline(timeoutMs);
  const starting = startRoleCluster('bench-vs-vl', 10);
  let cluster: RoleCluster | undefined;
  const nodes: RoleNode[] = [];
  try {
    cluster = await deadline.race(starting, 'NATS, Postgres and MinIO');
    const env = { RUST_LOG: process.env['BENCH_O2_LOG'] ?? 'warn' };
    const router = await cluster.start('router', 'router-1', env);
    nodes.push(router);
    await waitUntilHealthy(router.process, deadline.left());
    for (const [service, name] of WORKERS) nodes.push(await cluster.start(service, name, env));
    const grpc = nodes.filter((n) => /^(ingester|querier)-/.test(n.name));
    await deadline.race(
      Promise.all(grpc.map((n) => waitForPort(n.grpcPort, deadline.left()))),
      'ingesters and queriers listening',
    );
    const server = o2Server('cluster', router.process.url, router.process.child.pid ?? NaN, '', {
      stop: async () => {
        const exits = await (cluster as RoleCluster).stop();
        const bad = exits.filter(([, code]) => code !== 0);
        if (bad.length > 0)
          throw new Error(`cluster nodes exited badly: ${bad.map((e) => e.join(' ')).join(', ')}`);
      },
      output: () => nodes.map((n) => `--- ${n.name}\n${n.process.output()}`).join('\n'),
    });
    await untilSearchable(router.process.url, deadline);
    return { ok: true, cluster: { server, url: router.process.url } };
  } catch (error) {
    const dead = nodes.filter((n) => n.process.child.exitCode !== null);
    const logs = dead.map((n) => `--- ${n.name}\n${n.process.output().slice(-2000)}`).join('\n');
    if (cluster === undefined) void starting.then((c) => c.stop()).catch(() => undefined);
    else await cluster.stop().catch(() => undefined);
    const reason = error instanceof Error ? error.message : String(error);
    return {
      ok: false,
      reason: `${reason} (limit ${timeoutMs / 1000} s)${logs ? `\n${logs}` : ''}`,
    };
  }
}

/**
 * The router answers 503 until it has found a querier in the node registry; any other answer
 * (a search of a stream nobody wrote is a 4xx) means the search reached one.
 */
async function untilSearchable(url: string, deadline: Deadline): Promise<void> {
  const body = JSON.stringify({
    query: { sql: 'SELECT * FROM "probe"', start_time: 0, end_time: 1 },
  });
  let last = '';
  while (deadline.left() > 0) {
    try {
      const response = await fetch(`${url}/api/default/_search?type=logs`, {
        method: 'POST',
        headers: { authorization: AUTH, 'content-type': 'application/json' },
        body,
        signal: AbortSignal.timeout(Math.max(1, Math.min(10_000, deadline.left()))),
      });
      last = `${response.status} ${(await response.text()).slice(0, 300)}`;
      if (response.status !== 503) return;
    } catch (error) {
      last = String(error);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`no querier answered through the router; last answer: ${last}`);
}

/**
 * One round trip: the median of `samples` `GET /healthz` on `url` (keep-alive, after a warm-up)
 * — an HTTP exchange on loopback that does no work, the cost a cluster adds per hop.
 */
export async function healthzRtt(url: string, samples = 21): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < samples + 3; i++) {
    const started = performance.now();
    const response = await fetch(`${url}/healthz`);
    await response.arrayBuffer();
    if (response.status !== 200) throw new Error(`${url}/healthz answered ${response.status}`);
    if (i >= 3) times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)] as number;
}
