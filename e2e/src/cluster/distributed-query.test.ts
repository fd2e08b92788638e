import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateK8sLogs, waitForPort } from '@o2/testing';
import { basicAuth, waitUntilHealthy } from '../product-process.js';
import type { ProductProcess } from '../product-process.js';
import { ROLE_CLUSTER_ROOT, startRoleCluster } from './role-cluster.js';
import type { RoleCluster, RoleNode } from './role-cluster.js';

/** 981 generated k8s log records (the size of O2's sample): the data and the oracle's input. */
const RECORDS = generateK8sLogs();
/** O2's default full-text fields (the raw-data side of the match_all comparison). */
const FTS_FIELDS = ['log', 'message', 'msg', 'content', 'data', 'events', 'body', 'json', 'error'];
/** A row's texts, absent and null alike, to compare hits (which omit nulls) with records. */
const texts = (r: Record<string, unknown>): string =>
  JSON.stringify([r['log'] ?? null, r['message'] ?? null]);
const STREAM = 'dist';
/**
 * Ingest requests, each flushed to its own file: with 16 files the chance that rendezvous
 * hashing gives every file to one of two queriers is 2 in 65 536.
 */
const PARTS = 16;
const GENEROUS_MS = 90_000;

interface NodeScan {
  name: string;
  files: number;
  records: number;
}
interface Answer {
  hits: Array<Record<string, unknown>>;
  nodes?: NodeScan[];
}

// Router, one ingester and two queriers as separate processes: the querier that receives a
// search leads it, reading its share of the stored files and asking the other for the rest.
describe('cluster mode: a search’s stored files are split across the live queriers', () => {
  let cluster: RoleCluster;
  let router: ProductProcess;
  const startedAt = Date.now();

  const api = async (path: string, init: RequestInit = {}) => {
    const headers = new Headers(init.headers);
    headers.set('authorization', basicAuth(ROLE_CLUSTER_ROOT.email, ROLE_CLUSTER_ROOT.password));
    if (init.body !== undefined) headers.set('content-type', 'application/json');
    const response = await fetch(`${router.url}${path}`, { ...init, headers });
    return { status: response.status, text: await response.text() };
  };

  const search = async (sql: string): Promise<Answer> => {
    const body = JSON.stringify({
      query: {
        sql,
        start_time: (startedAt - 3_600_000) * 1000,
        end_time: (Date.now() + 3_600_000) * 1000,
        size: 10_000,
      },
    });
    const answer = await api('/api/default/_search', { method: 'POST', body });
    if (answer.status !== 200) throw new Error(`search ${answer.status}: ${answer.text}`);
    return JSON.parse(answer.text) as Answer;
  };

  /** Polls `read` until `accept` holds; the last value after the deadline. */
  const eventually = async <T>(read: () => Promise<T>, accept: (value: T) => boolean) => {
    const deadline = Date.now() + GENEROUS_MS;
    for (;;) {
      const value = await read().catch(() => undefined);
      if ((value !== undefined && accept(value)) || Date.now() > deadline) return value;
      await new Promise((r) => setTimeout(r, 250));
    }
  };

  const output = (nodes: RoleNode[]) =>
    nodes.map((n) => `--- ${n.name}\n${n.process.output()}`).join('\n');

  beforeAll(async () => {
    cluster = await startRoleCluster('distq', 6);
    const routerNode = await cluster.start('router', 'router-1');
    router = routerNode.process;
    await waitUntilHealthy(router, GENEROUS_MS);
    const workers = await Promise.all([
      cluster.start('ingester', 'ingester-1'),
      cluster.start('querier', 'querier-1'),
      cluster.start('querier', 'querier-2'),
    ]);
    await Promise.all(workers.map((w) => waitForPort(w.grpcPort, GENEROUS_MS)));

    const size = Math.ceil(RECORDS.length / PARTS);
    for (let at = 0; at < RECORDS.length; at += size) {
      const part = RECORDS.slice(at, at + size);
      const answer = await eventually(
        () => api(`/api/default/${STREAM}/_json`, { method: 'POST', body: JSON.stringify(part) }),
        (a) => a.status !== 503,
      );
      if (answer?.status !== 200) throw new Error(`ingest: ${answer?.text}\n${output(workers)}`);
      const flushed = await api('/node/flush', { method: 'PUT' });
      if (flushed.status !== 200) throw new Error(`flush ${flushed.status}: ${flushed.text}`);
    }
    // Both queriers registered (each leader lists the other), whichever one the router picks.
    const split = await eventually(
      () => search(`SELECT count(*) AS n FROM "${STREAM}"`),
      (a) => (a.nodes ?? []).filter((n) => n.files > 0).length === 2,
    );
    if (split === undefined) throw new Error(`no split answer:\n${output(workers)}`);
  }, 300_000);

  afterAll(async () => {
    const exits = await cluster?.stop();
    expect(exits).toEqual(exits?.map(([name]) => [name, 0]));
  }, 120_000);

  it('stored every request in its own file in MinIO', async () => {
    const keys: string[] = [];
    for await (const object of cluster.bucket.list(`files/default/logs/${STREAM}/`))
      if (object.key.endsWith('.parquet')) keys.push(object.key);
    expect(keys.length).toBeGreaterThanOrEqual(PARTS);
  });

  it('counts every record, with both queriers having scanned files', async () => {
    const answer = await search(`SELECT count(*) AS n FROM "${STREAM}"`);
    expect(Number(answer.hits[0]?.['n'])).toBe(RECORDS.length);
    const nodes = answer.nodes ?? [];
    expect(nodes.map((n) => n.name).sort()).toEqual(['querier-1', 'querier-2']);
    for (const node of nodes) expect(node.files).toBeGreaterThan(0);
    expect(nodes.reduce((sum, n) => sum + n.files, 0)).toBeGreaterThanOrEqual(PARTS);
    expect(nodes.reduce((sum, n) => sum + n.records, 0)).toBe(RECORDS.length);
  });

  it('answers match_all as the raw data does', async () => {
    const term = 'error';
    const expected = RECORDS.filter((r) =>
      FTS_FIELDS.some((f) => typeof r[f] === 'string' && r[f].toLowerCase().includes(term)),
    )
      .map(texts)
      .sort();
    expect(expected.length).toBeGreaterThan(0);
    const { hits } = await search(`SELECT * FROM "${STREAM}" WHERE match_all('${term}')`);
    expect(hits.map(texts).sort()).toEqual(expected);
  });

  it('groups by namespace as the raw data does', async () => {
    const expected: Record<string, number> = {};
    for (const r of RECORDS) {
      const ns = String(r['kubernetes.namespace_name']);
      expected[ns] = (expected[ns] ?? 0) + 1;
    }
    const { hits } = await search(
      `SELECT kubernetes_namespace_name AS ns, count(*) AS n FROM "${STREAM}" GROUP BY ns`,
    );
    expect(Object.fromEntries(hits.map((h) => [String(h['ns']), Number(h['n'])]))).toEqual(
      expected,
    );
  });

  // Runs last: it adds rows. The leader splits the stored files before the ingester answers
  // and reads the ingester's rows beside the workers' calls; acknowledged rows still count.
  it('counts rows acknowledged a moment ago beside the stored files the queriers split', async () => {
    const fresh = RECORDS.slice(0, 37);
    for (let round = 1; round <= 3; round++) {
      const body = JSON.stringify(fresh);
      const acked = await api(`/api/default/${STREAM}/_json`, { method: 'POST', body });
      expect(acked.status).toBe(200);
      const answer = await search(`SELECT count(*) AS n FROM "${STREAM}"`);
      expect(Number(answer.hits[0]?.['n'])).toBe(RECORDS.length + round * fresh.length);
      expect((answer.nodes ?? []).filter((n) => n.files > 0)).toHaveLength(2);
    }
  });
});
