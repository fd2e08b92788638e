import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateK8sLogs, waitForPort } from '@o2/testing';
import { basicAuth, waitUntilHealthy } from '../product-process.js';
import type { ProductProcess } from '../product-process.js';
import { ROLE_CLUSTER_ROOT, startRoleCluster } from './role-cluster.js';
import type { RoleCluster, RoleNode } from './role-cluster.js';
import { electedHolderIds, pollUntil } from './role-output.js';

type Raw = Record<string, unknown>;
/** 981 generated k8s log records (the size of O2's sample): the data and the oracle's input. */
const RECORDS: Raw[] = generateK8sLogs();
/** Rows only in the ingesters' memtables: nothing is flushed until the test asks. */
const HOT = 'full_hot';
/** Rows only in Parquet: every part is flushed to its own file. */
const STORED = 'full_stored';
/** Ingest requests for the hot stream; round robin spreads them over both ingesters. */
const HOT_PARTS = 8;
/**
 * Ingest-then-flush rounds for the stored stream, one file each: the chance that rendezvous
 * hashing gives all 12 files to one of two queriers is 2 in 4 096.
 */
const STORED_PARTS = 12;
const GENEROUS_MS = 90_000;

interface NodeScan {
  name: string;
  files: number;
  records: number;
}
interface Answer {
  hits: Raw[];
  histogram_interval?: number;
  nodes?: NodeScan[];
}

const text = (r: Raw, k: string): string => (typeof r[k] === 'string' ? r[k] : '');
const code = (r: Raw): number | undefined =>
  typeof r['code'] === 'number' ? r['code'] : undefined;
const hasError = (r: Raw) => /error/i.test(text(r, 'log')) || /error/i.test(text(r, 'message'));

/** The sorted `[log, message]` pairs of the raw records that pass `keep` — the oracle. */
function oracle(keep: (r: Raw) => boolean): string[] {
  return RECORDS.filter(keep)
    .map((r) => JSON.stringify([r['log'] ?? null, r['message'] ?? null]))
    .sort();
}
function pairs(answer: Answer): string[] {
  return answer.hits.map((h) => JSON.stringify([h['log'] ?? null, h['message'] ?? null])).sort();
}
function parts(count: number): Raw[][] {
  const size = Math.ceil(RECORDS.length / count);
  const out: Raw[][] = [];
  for (let at = 0; at < RECORDS.length; at += size) out.push(RECORDS.slice(at, at + size));
  return out;
}

/** The search issue's query set: row filters compared by row set with the raw-file oracle. */
const FILTERS: Array<readonly [string, (r: Raw) => boolean]> = [
  [`match_all('error')`, hasError],
  [
    `match_all_raw('Error')`,
    (r) => text(r, 'log').includes('Error') || text(r, 'message').includes('Error'),
  ],
  [`match_all_raw_ignore_case('ERROR')`, hasError],
  [`str_match(log, 'error')`, (r) => text(r, 'log').includes('error')],
  ['code = 200', (r) => code(r) === 200],
  ['code IS NULL', (r) => code(r) === undefined],
  ['code IS NOT NULL', (r) => code(r) !== undefined],
  ['code > 399', (r) => (code(r) ?? 0) > 399],
];

// The whole cluster as separate processes: real NATS, Postgres and MinIO, a router, two
// ingesters, two queriers, a compactor and an alertmanager. The k8s sample, ingested through the
// router, answers the search query set as single node does — first from the ingesters' memory,
// then from Parquet files in MinIO split across both queriers.
describe('cluster mode: the full cluster answers the query set as single node does', () => {
  let cluster: RoleCluster;
  let router: ProductProcess;
  let workers: RoleNode[] = [];
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

  /** Polls `read` until `accept` holds; the last value (or undefined) after the deadline. */
  const eventually = async <T>(read: () => Promise<T>, accept: (value: T) => boolean) => {
    const deadline = Date.now() + GENEROUS_MS;
    for (;;) {
      const value = await read().catch(() => undefined);
      if ((value !== undefined && accept(value)) || Date.now() > deadline) return value;
      await new Promise((r) => setTimeout(r, 250));
    }
  };

  const output = () => workers.map((n) => `--- ${n.name}\n${n.process.output()}`).join('\n');

  /** Ingest through the router; a 503 (no ingester registered yet) stored nothing, so resend. */
  const ingest = async (stream: string, rows: Raw[]) => {
    const body = JSON.stringify(rows);
    const answer = await eventually(
      () => api(`/api/default/${stream}/_json`, { method: 'POST', body }),
      (a) => a.status !== 503,
    );
    const expected = `{"code":200,"status":[{"name":"${stream}","successful":${rows.length},"failed":0}]}`;
    if (answer?.text !== expected) throw new Error(`ingest: ${answer?.text}\n${output()}`);
  };

  const flush = async () => {
    const flushed = await api('/node/flush', { method: 'PUT' });
    if (flushed.status !== 200) throw new Error(`flush ${flushed.status}: ${flushed.text}`);
  };

  const parquetKeys = async (stream: string) => {
    const keys: string[] = [];
    for await (const object of cluster.bucket.list(`files/default/logs/${stream}/`))
      if (object.key.endsWith('.parquet')) keys.push(object.key);
    return keys;
  };

  /** Runs the query set on `stream`; `each` sees every answer (the scan report, say). */
  const expectQuerySet = async (stream: string, each: (answer: Answer) => void = () => {}) => {
    const run = async (sql: string) => {
      const answer = await search(sql);
      each(answer);
      return answer;
    };
    const counted = await run(`SELECT count(*) AS n FROM "${stream}"`);
    expect(Number(counted.hits[0]?.['n'])).toBe(RECORDS.length);
    for (const [where, keep] of FILTERS) {
      const want = oracle(keep);
      expect(want.length, where).toBeGreaterThan(0);
      expect(pairs(await run(`SELECT * FROM "${stream}" WHERE ${where}`)), where).toEqual(want);
    }
    const histogram = await run(
      `SELECT histogram(_timestamp, '10 second') AS zo_sql_key, count(*) AS zo_sql_num FROM "${stream}" GROUP BY zo_sql_key ORDER BY zo_sql_key`,
    );
    expect(histogram.hits.reduce((sum, h) => sum + Number(h['zo_sql_num']), 0)).toBe(
      RECORDS.length,
    );
    expect(histogram.histogram_interval).toBe(10);
    const grouped = await run(
      `SELECT kubernetes_namespace_name AS ns, count(*) AS n FROM "${stream}" GROUP BY ns ORDER BY ns`,
    );
    const want = new Map<string, number>();
    for (const r of RECORDS) {
      const ns = text(r, 'kubernetes.namespace_name');
      want.set(ns, (want.get(ns) ?? 0) + 1);
    }
    expect(new Map(grouped.hits.map((h) => [String(h['ns']), Number(h['n'])]))).toEqual(want);
  };

  beforeAll(async () => {
    cluster = await startRoleCluster('fullcl', 6);
    const routerNode = await cluster.start('router', 'router-1');
    router = routerNode.process;
    // The router first: it migrates the metastore and creates the root user.
    await waitUntilHealthy(router, GENEROUS_MS);
    // Ingesters keep rows in memory until PUT /node/flush, so "hot" really means hot.
    const holdRows = { ZO_MEM_PERSIST_INTERVAL: '3600', ZO_FILE_PUSH_INTERVAL: '3600' };
    const grpcWorkers = await Promise.all([
      cluster.start('ingester', 'ingester-1', holdRows),
      cluster.start('ingester', 'ingester-2', holdRows),
      cluster.start('querier', 'querier-1'),
      cluster.start('querier', 'querier-2'),
    ]);
    const singletons = await Promise.all([
      // No merging: the file split across queriers is asserted below, and a run that crosses an
      // hour would see the past hour's files merged (compaction.test.ts covers merging).
      cluster.start('compactor', 'compactor-1', { ZO_COMPACT_ENABLED: 'false' }),
      cluster.start('alertmanager', 'alertmanager-1'),
    ]);
    workers = [routerNode, ...grpcWorkers, ...singletons];
    // A node registers once its gRPC server listens; each singleton is up once it holds its lease.
    await Promise.all(grpcWorkers.map((w) => waitForPort(w.grpcPort, GENEROUS_MS)));
    for (const [node, lease] of [
      [singletons[0], 'compactor'],
      [singletons[1], 'alertmanager'],
    ] as const) {
      const elected = await pollUntil(
        () => node !== undefined && electedHolderIds(node.process, lease).length > 0,
        GENEROUS_MS,
      );
      if (!elected) throw new Error(`no ${lease} was elected:\n${output()}`);
    }
    // The router has found a querier once a search answers something else than 503.
    const probe = JSON.stringify({
      query: { sql: 'SELECT * FROM "probe"', start_time: 0, end_time: 1 },
    });
    const found = await eventually(
      () => api('/api/default/_search', { method: 'POST', body: probe }),
      (a) => a.status !== 503,
    );
    if (found === undefined || found.status === 503) throw new Error(`no querier:\n${output()}`);
  }, 240_000);

  afterAll(async () => {
    const exits = await cluster?.stop();
    // Every process exits cleanly on SIGTERM.
    expect(exits).toEqual(exits?.map(([name]) => [name, 0]));
  }, 120_000);

  it('answers the query set straight after the acks, from the ingesters’ memory', async () => {
    for (const part of parts(HOT_PARTS)) await ingest(HOT, part);
    // Nothing was uploaded: every answer below comes from rows the ingesters hold.
    expect(await parquetKeys(HOT)).toEqual([]);
    await expectQuerySet(HOT);
  }, 120_000);

  it('held the hot rows on both ingesters: one flush writes a file on each', async () => {
    await flush();
    expect((await parquetKeys(HOT)).length).toBeGreaterThanOrEqual(2);
    // Now from Parquet (two files, so no claim about which querier scanned them).
    await expectQuerySet(HOT);
  }, 120_000);

  it('answers the query set after flush rounds, with both queriers having scanned files', async () => {
    for (const part of parts(STORED_PARTS)) {
      await ingest(STORED, part);
      await flush();
    }
    expect((await parquetKeys(STORED)).length).toBeGreaterThanOrEqual(STORED_PARTS);
    // Both queriers registered with each other long ago; wait only for liveness' sake.
    const split = await eventually(
      () => search(`SELECT count(*) AS n FROM "${STORED}"`),
      (a) => (a.nodes ?? []).filter((n) => n.files > 0).length === 2,
    );
    if (split === undefined) throw new Error(`no split answer:\n${output()}`);

    const scans: NodeScan[][] = [];
    await expectQuerySet(STORED, (answer) => scans.push(answer.nodes ?? []));
    // Every answer reports both queriers; the full scans (count, histogram, group by: the first
    // and the last two answers) read files on each of them, all records between them.
    for (const nodes of scans)
      expect(nodes.map((n) => n.name).sort()).toEqual(['querier-1', 'querier-2']);
    for (const nodes of [scans[0], ...scans.slice(-2)]) {
      for (const node of nodes ?? []) expect(node.files, node.name).toBeGreaterThan(0);
      expect((nodes ?? []).reduce((sum, n) => sum + n.records, 0)).toBe(RECORDS.length);
    }
  }, 120_000);
});
