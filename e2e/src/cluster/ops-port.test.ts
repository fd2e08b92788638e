import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitForPort } from '@o2/testing';
import { basicAuth, waitUntilHealthy } from '../product-process.js';
import { ROLE_CLUSTER_ROOT, startRoleCluster } from './role-cluster.js';
import type { RoleCluster, RoleNode } from './role-cluster.js';

const AUTH = basicAuth(ROLE_CLUSTER_ROOT.email, ROLE_CLUSTER_ROOT.password);
const BOOT_MS = 120_000;
const STREAM = 'ops_port';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function get(node: RoleNode, path: string): Promise<{ status: number; text: string }> {
  const response = await fetch(`${node.process.url}${path}`, {
    signal: AbortSignal.timeout(10_000),
  }).catch((e: unknown) => ({ status: 0, text: () => Promise.resolve(String(e)) }));
  return { status: response.status, text: await response.text() };
}

/** Sum of the samples of `name` whose labels include every pair in `labels`. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number {
  let total = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    const wanted = Object.entries(labels).every(([k, v]) => line.includes(`${k}="${v}"`));
    if (wanted) total += Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return total;
}

async function pollUntilAsync(accept: () => Promise<boolean>, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await accept()) return true;
    await sleep(250);
  }
  return false;
}

// Ingester, querier, compactor and alertmanager as their own processes, each with the ops HTTP port on
// ZO_HTTP_PORT that the chart's probes and ServiceMonitor use: alive, ready only while their
// dependencies answer (Postgres stopped → 503 naming the metadata store), and metrics that move
// when rows go in through the router and a search comes back out.
describe('cluster mode: every role serves /healthz, /readyz and /metrics', () => {
  let cluster: RoleCluster;
  let router: RoleNode;
  let ingester: RoleNode;
  let querier: RoleNode;
  let compactor: RoleNode;
  let alertmanager: RoleNode;
  let workers: RoleNode[] = [];

  const output = () =>
    [router, ...workers].map((n) => `--- ${n.name}\n${n.process.output().slice(-4000)}`).join('\n');

  const api = async (path: string, init: RequestInit = {}) => {
    const headers = new Headers(init.headers);
    headers.set('authorization', AUTH);
    if (init.body !== undefined) headers.set('content-type', 'application/json');
    const response = await fetch(`${router.process.url}${path}`, {
      ...init,
      headers,
      signal: AbortSignal.timeout(60_000),
    });
    return { status: response.status, text: await response.text() };
  };

  beforeAll(async () => {
    cluster = await startRoleCluster('ops-port', 6);
    router = await cluster.start('router', 'router-1');
    // The router first: it migrates the metastore and creates the root user.
    await waitUntilHealthy(router.process, BOOT_MS);
    [ingester, querier, compactor, alertmanager] = await Promise.all([
      cluster.start('ingester', 'ingester-1'),
      cluster.start('querier', 'querier-1'),
      cluster.start('compactor', 'compactor-1'),
      cluster.start('alertmanager', 'alertmanager-1'),
    ]);
    workers = [ingester, querier, compactor, alertmanager];
    await Promise.all(workers.map((n) => waitUntilHealthy(n.process, BOOT_MS)));
    await Promise.all([ingester, querier].map((n) => waitForPort(n.grpcPort, BOOT_MS)));
  }, BOOT_MS + 60_000);

  afterAll(async () => {
    await cluster?.stop();
  }, 120_000);

  it('answers /healthz and /readyz with 200 on every role', async () => {
    for (const node of workers) {
      expect(await get(node, '/healthz'), node.name).toEqual({
        status: 200,
        text: '{"status":"ok"}',
      });
      let last = { status: 0, text: '' };
      const ready = await pollUntilAsync(async () => {
        last = await get(node, '/readyz');
        return last.status === 200;
      }, 30_000);
      expect(ready, `${node.name}: ${JSON.stringify(last)}\n${output()}`).toBe(true);
      expect(last.text).toBe('{"status":"ok"}');
    }
    // An unknown path is a 404 in O2's error shape, not a crash.
    const unknown = await get(ingester, '/nope');
    expect(unknown.status).toBe(404);
    expect(JSON.parse(unknown.text)).toEqual({ code: 404, message: 'not found' });
  }, 60_000);

  it('moves the ingester, querier, gRPC and leader metrics under load', async () => {
    const before = await get(ingester, '/metrics');
    expect(before.status).toBe(200);
    const rowsBefore = sample(before.text, 'zo_ingest_records_total', { stream_type: 'logs' });

    const rows = Array.from({ length: 50 }, (_, i) => ({ seq: i, message: `ops row ${i}` }));
    const ingest = await api(`/api/default/${STREAM}/_json`, {
      method: 'POST',
      body: JSON.stringify(rows),
    });
    expect(ingest.status, ingest.text).toBe(200);
    // Stored objects, so the query reads Parquet through the querier's file cache.
    const flush = await api('/node/flush', { method: 'PUT' });
    expect(flush.status, flush.text).toBe(200);
    const search = await api('/api/default/_search', {
      method: 'POST',
      body: JSON.stringify({
        query: {
          sql: `SELECT count(*) AS n FROM "${STREAM}"`,
          start_time: (Date.now() - 3_600_000) * 1000,
          end_time: (Date.now() + 3_600_000) * 1000,
        },
      }),
    });
    expect(search.status, search.text).toBe(200);
    expect(JSON.parse(search.text)).toMatchObject({ hits: [{ n: 50 }] });

    const ing = (await get(ingester, '/metrics')).text;
    expect(sample(ing, 'zo_ingest_records_total', { stream_type: 'logs' }) - rowsBefore).toBe(50);
    expect(sample(ing, 'zo_ingest_bytes_total', { stream_type: 'logs' })).toBeGreaterThan(0);
    expect(ing).toMatch(/^zo_ingester_wal_size_bytes \d+/m);
    expect(ing).toMatch(/^zo_ingester_memtable_bytes \d+/m);
    for (const stage of ['persist', 'upload']) {
      expect(
        sample(ing, 'zo_ingester_cycle_duration_seconds_count', { stage }),
        stage,
      ).toBeGreaterThan(0);
      expect(ing).toContain(`zo_ingester_cycle_failures_total{stage="${stage}"} 0`);
    }
    expect(
      sample(ing, 'zo_grpc_calls_total', { method: 'IngestService.Ingest', code: 'OK' }),
      ing
        .split('\n')
        .filter((l) => l.startsWith('zo_grpc'))
        .join('\n'),
    ).toBeGreaterThanOrEqual(1);
    // Process metrics come along, in the zo_ style.
    expect(ing).toMatch(/^zo_process_cpu_seconds_total /m);

    const qry = (await get(querier, '/metrics')).text;
    for (const stage of ['analyze', 'resolve', 'execute', 'total'])
      expect(sample(qry, 'zo_query_duration_seconds_count', { stage }), stage).toBeGreaterThan(0);
    expect(sample(qry, 'zo_query_file_cache_total', { result: 'miss' })).toBeGreaterThan(0);
    expect(sample(qry, 'zo_grpc_calls_total', { code: 'OK' })).toBeGreaterThan(0);

    // The only compactor and the only alertmanager hold their leases.
    for (const [node, lease] of [
      [compactor, 'compactor'],
      [alertmanager, 'alertmanager'],
    ] as const) {
      let text = '';
      const leading = await pollUntilAsync(async () => {
        text = (await get(node, '/metrics')).text;
        return sample(text, 'zo_leader', { lease }) === 1;
      }, 30_000);
      const gauge = text.split('\n').filter((l) => l.includes('zo_leader'));
      expect(leading, gauge.join('\n')).toBe(true);
    }
  }, 120_000);

  it('says 503 degraded, naming the metadata store, while Postgres is stopped; ready again after', async () => {
    await cluster.postgres.halt();
    try {
      for (const node of workers) {
        let last = { status: 0, text: '' };
        const degraded = await pollUntilAsync(async () => {
          last = await get(node, '/readyz');
          return last.status === 503;
        }, 30_000);
        expect(degraded, `${node.name}: ${JSON.stringify(last)}`).toBe(true);
        const body = JSON.parse(last.text) as { status: string; reasons: string[] };
        expect(body.status).toBe('degraded');
        expect(body.reasons.join('\n'), node.name).toMatch(/^metadata store unreachable: /m);
        // Still alive: a database outage must not get the pod restarted.
        expect((await get(node, '/healthz')).status).toBe(200);
      }
    } finally {
      await cluster.postgres.start();
    }
    for (const node of workers) {
      let last = { status: 0, text: '' };
      const ready = await pollUntilAsync(async () => {
        last = await get(node, '/readyz');
        return last.status === 200;
      }, 60_000);
      expect(ready, `${node.name}: ${JSON.stringify(last)}`).toBe(true);
    }
  }, 180_000);
});
