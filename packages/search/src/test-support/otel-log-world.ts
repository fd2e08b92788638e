import { afterAll, beforeAll, expect, it } from 'vitest';
import { makeTempDir } from '@o2/testing';
import type { TempDir } from '@o2/testing';
import type { FlatRecord } from '@o2/schema';
import { createSearchEngine } from '../index.js';
import type { SearchQuery } from '@o2/domain';
import type { Hit, SearchEngine, SearchResponse, StreamField, StreamSource } from '../index.js';
import { tableOf, writeParquet } from '../bench/k8s-fixture.js';

/**
 * A generated OTel-shaped log stream `default` (flattened as O2 stores it: service and k8s
 * resource attributes, severity, body, trace/span ids, HTTP attributes, a JSON-array `tags`
 * and a JSON-object `attrs` as text) in two Parquet files plus one in-memory table, and a small
 * `services` stream to join with. Every expected answer in the dialect tests is computed here,
 * in TypeScript, from `world.logs` — never by DuckDB.
 */
export const BASE = 1_700_000_000_000_000; // 2023-11-14T22:13:20Z
export const STEP = 1_234_567; // µs: rows straddle second and minute boundaries
export const COUNT = 360;

export interface LogRow {
  _timestamp: number;
  service_name: string;
  severity_text: string;
  severity_number: number;
  body: string;
  trace_id: string;
  span_id: string;
  k8s_namespace_name: string;
  k8s_pod_name: string;
  http_status_code?: number;
  duration_ms?: number;
  bytes: number;
  user_id: string;
  tags: string;
  attrs: string;
  ok: boolean;
}

export interface ServiceRow {
  _timestamp: number;
  service_name: string;
  team: string;
  tier: number;
}

export const LOG_SCHEMA: StreamField[] = [
  { name: '_timestamp', type: 'Int64' },
  { name: 'service_name', type: 'Utf8' },
  { name: 'severity_text', type: 'Utf8' },
  { name: 'severity_number', type: 'Int64' },
  { name: 'body', type: 'Utf8' },
  { name: 'trace_id', type: 'Utf8' },
  { name: 'span_id', type: 'Utf8' },
  { name: 'k8s_namespace_name', type: 'Utf8' },
  { name: 'k8s_pod_name', type: 'Utf8' },
  { name: 'http_status_code', type: 'Int64' },
  { name: 'duration_ms', type: 'Float64' },
  { name: 'bytes', type: 'Int64' },
  { name: 'user_id', type: 'Utf8' },
  { name: 'tags', type: 'Utf8' },
  { name: 'attrs', type: 'Utf8' },
  { name: 'ok', type: 'Boolean' },
];

const SERVICE_SCHEMA: StreamField[] = [
  { name: '_timestamp', type: 'Int64' },
  { name: 'service_name', type: 'Utf8' },
  { name: 'team', type: 'Utf8' },
  { name: 'tier', type: 'Int64' },
];

export const SERVICES = ['checkout', 'cart', 'frontend', 'payment', 'shipping'];
const SEVERITIES: ReadonlyArray<readonly [string, number]> = [
  ['INFO', 9],
  ['WARN', 13],
  ['ERROR', 17],
  ['DEBUG', 5],
];
const STATUSES = [200, 200, 201, 404, 500, 503, 200, 302];
const TAGS = ['["b","a","c"]', '[3,1,2]', '["x"]', '[]', '[1.5,0.25,10]', '["z","y",true]'];

/** A small deterministic PRNG (mulberry32): the same world on every run. */
function prng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function hex(rand: () => number, length: number): string {
  let out = '';
  while (out.length < length) out += Math.floor(rand() * 16).toString(16);
  return out;
}

export function generateLogs(count = COUNT): LogRow[] {
  const rand = prng(17);
  const rows: LogRow[] = [];
  for (let i = 0; i < count; i++) {
    const service = SERVICES[i % SERVICES.length]!;
    const [severity, number] = SEVERITIES[Math.floor(rand() * SEVERITIES.length)]!;
    const status = i % 11 === 0 ? undefined : STATUSES[Math.floor(rand() * STATUSES.length)]!;
    const duration = i % 13 === 0 ? undefined : Math.round(rand() * 20000) / 10;
    const user = `u${i % 17}`;
    const bodies = [
      `GET /api/items/${i} ${status ?? 0} in ${duration ?? 0}ms`,
      `user ${user} logged in from 10.0.${i % 7}.${i % 250}`,
      `error: payment declined for order ${1000 + i}`,
      `50% discount applied_code=A_${i % 9}`,
      `retrying "${service}" connection, attempt ${i % 4}`,
      `Timeout after ${(i * 37) % 900}ms ERROR upstream`,
    ];
    rows.push({
      _timestamp: BASE + i * STEP,
      service_name: service,
      severity_text: severity,
      severity_number: number,
      body: bodies[Math.floor(rand() * bodies.length)]!,
      trace_id: hex(rand, 32),
      span_id: hex(rand, 16),
      k8s_namespace_name: ['prod', 'staging', 'default'][i % 3]!,
      k8s_pod_name: `${service}-${i % 4}`,
      ...(status === undefined ? {} : { http_status_code: status }),
      ...(duration === undefined ? {} : { duration_ms: duration }),
      bytes: Math.floor(rand() * 5000) - 100,
      user_id: user,
      tags: TAGS[i % TAGS.length]!,
      attrs: JSON.stringify({
        user: { id: user, tier: i % 2 === 0 ? 'gold' : 'silver' },
        region: `eu-${i % 3}`,
        n: i % 5,
      }),
      ok: rand() > 0.3,
    });
  }
  return rows;
}

export const SERVICE_ROWS: ServiceRow[] = SERVICES.slice(0, 4).map((service_name, k) => ({
  _timestamp: BASE + k,
  service_name,
  team: ['payments', 'web', 'web', 'payments'][k]!,
  tier: k + 1,
}));

/** Filled by `useOtelLogWorld()` before a file's tests run. */
export const world = {} as {
  dir: TempDir;
  engine: SearchEngine;
  logs: LogRow[];
  sources: StreamSource[];
};

export const START = BASE;
export const END = BASE + COUNT * STEP;

export async function search(
  sql: string,
  extra: Partial<SearchQuery> = {},
): Promise<SearchResponse> {
  return world.engine.search(
    { sql, startTime: START, endTime: END, size: -999, ...extra },
    world.sources,
  );
}

export function useOtelLogWorld(): void {
  beforeAll(async () => {
    world.dir = await makeTempDir('dialect');
    world.logs = generateLogs();
    const flat = world.logs as unknown as FlatRecord[];
    const part = (k: number): FlatRecord[] => flat.filter((_, i) => i % 3 === k);
    world.engine = await createSearchEngine({
      tempDir: `${world.dir.path}/tmp`,
      allowedDirectories: [world.dir.path],
      threads: 2,
    });
    world.sources = [
      {
        name: 'default',
        type: 'logs',
        schema: LOG_SCHEMA,
        parquetFiles: [
          await writeParquet(world.dir.path, 'logs-a', LOG_SCHEMA, part(0), 50),
          await writeParquet(world.dir.path, 'logs-b', LOG_SCHEMA, part(1)),
        ],
        tables: [tableOf(LOG_SCHEMA, part(2))],
      },
      {
        name: 'services',
        type: 'logs',
        schema: SERVICE_SCHEMA,
        parquetFiles: [
          await writeParquet(
            world.dir.path,
            'services',
            SERVICE_SCHEMA,
            SERVICE_ROWS as unknown as FlatRecord[],
          ),
        ],
      },
    ];
  });
  afterAll(async () => {
    await world.engine?.close();
    await world.dir?.remove();
  });
}

/** `"YYYY-MM-DDTHH:MM:SS[.ffffff]"`: how hits print a naive timestamp (µs in). */
export function isoMicros(micros: number): string {
  const fraction = ((micros % 1_000_000) + 1_000_000) % 1_000_000;
  const base = new Date((micros - fraction) / 1000).toISOString().slice(0, 19);
  return fraction === 0 ? base : `${base}.${String(fraction).padStart(6, '0')}`;
}

export interface DialectCase {
  sql: string;
  expected: () => Hit[];
  /** Compare in order (the SQL has an ORDER BY); otherwise as multisets. */
  ordered?: boolean;
}

/** Hits without undefined/null fields, numbers rounded to 9 significant digits. */
function canonical(hits: readonly Hit[]): Hit[] {
  return hits.map((hit) => {
    const out: Hit = {};
    for (const [k, v] of Object.entries(hit)) {
      if (v === null || v === undefined) continue;
      out[k] = roundDeep(v);
    }
    return out;
  });
}

function roundDeep(value: unknown): unknown {
  if (typeof value === 'number') return Number(value.toPrecision(9));
  if (Array.isArray(value)) return value.map(roundDeep);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, roundDeep(v)]));
  }
  return value;
}

const byJson = (a: Hit, b: Hit): number => {
  const [x, y] = [JSON.stringify(a), JSON.stringify(b)];
  return x < y ? -1 : x > y ? 1 : 0;
};

/** Registers one test per case: the engine's hits equal the TypeScript oracle's. */
export function runCases(cases: readonly DialectCase[]): void {
  it.each(cases.map((c) => [c.sql, c] as const))('%s', async (_sql, c) => {
    const response = await search(c.sql);
    const got = canonical(response.hits);
    const want = canonical(c.expected());
    if (c.ordered === true) expect(got).toEqual(want);
    else expect([...got].sort(byJson)).toEqual([...want].sort(byJson));
  });
}

/** Rows of `default`, optionally filtered. */
export function logs(where: (r: LogRow) => boolean = () => true): LogRow[] {
  return world.logs.filter(where);
}

/** `SELECT _timestamp, <expr> AS v FROM default` against `f` per row (NULL → field left out). */
export function perRow(expr: string, f: (r: LogRow) => unknown): DialectCase {
  return {
    sql: `SELECT _timestamp, ${expr} AS v FROM "default"`,
    expected: () =>
      world.logs.map((r) => {
        const v = f(r);
        return v === undefined || v === null
          ? { _timestamp: r._timestamp }
          : { _timestamp: r._timestamp, v };
      }),
  };
}

/** Counts per key, as `{[keyName]: key, n}` hits. */
export function countBy<K>(rows: readonly LogRow[], key: (r: LogRow) => K, name = 'k'): Hit[] {
  const counts = new Map<K, number>();
  for (const r of rows) counts.set(key(r), (counts.get(key(r)) ?? 0) + 1);
  return [...counts].map(([k, n]) => (k === undefined || k === null ? { n } : { [name]: k, n }));
}

/** Linear-interpolated percentile (PostgreSQL percentile_cont) of the non-null values. */
export function percentileCont(values: ReadonlyArray<number | undefined>, p: number): number {
  const sorted = values.filter((v): v is number => v !== undefined).sort((a, b) => a - b);
  const rank = p * (sorted.length - 1);
  const lo = Math.floor(rank);
  const hi = Math.ceil(rank);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (rank - lo);
}
