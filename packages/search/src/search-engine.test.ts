import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir } from '@o2/testing';
import type { TempDir } from '@o2/testing';
import type { FlatRecord } from '@o2/schema';
import { createSearchEngine, searchErrorCode } from './index.js';
import type { Hit, SearchEngine, SearchRequest, SearchResponse, StreamSource } from './index.js';
import {
  flatK8sRecords,
  readK8sLog,
  schemaOf,
  tableOf,
  writeParquet,
} from './test-support/k8s-fixture.js';

/**
 * The k8slog sample as one stream `default`: three Parquet files (one written without the
 * columns its rows never set) plus two in-memory tables. Every oracle below is computed from
 * the raw JSON and compared row by row, identified by `_timestamp` (record i has base + i·step).
 */
const BASE = 1_700_000_000_000_000;
const STEP = 100_000;
const ts = (i: number): number => BASE + i * STEP;
const indexOf = (hit: Hit): number => ((hit._timestamp as number) - BASE) / STEP;

type Raw = Record<string, unknown>;

let dir: TempDir;
let engine: SearchEngine;
let raw: Raw[];
let sources: StreamSource[];

function text(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** Full-text fields of the raw sample: its only default FTS keys are `log` and `message`. */
function ftsTexts(r: Raw): string[] {
  return [text(r.log), text(r.message)].filter((t): t is string => t !== undefined);
}

function oracle(test: (r: Raw) => boolean): number[] {
  return raw.flatMap((r, i) => (test(r) ? [i] : []));
}

function ids(response: SearchResponse): number[] {
  return response.hits.map(indexOf).sort((a, b) => a - b);
}

async function search(sql: string, extra: Partial<SearchRequest> = {}): Promise<SearchResponse> {
  return engine.search(
    { sql, startTime: ts(0), endTime: ts(raw.length), size: -999, ...extra },
    sources,
  );
}

async function searchCode(sql: string, extra: Partial<SearchRequest> = {}): Promise<unknown> {
  try {
    await search(sql, extra);
  } catch (err) {
    return searchErrorCode(err);
  }
  return 'no error';
}

beforeAll(async () => {
  dir = await makeTempDir('search');
  raw = readK8sLog() as Raw[];
  const records = flatK8sRecords(raw, { baseMicros: BASE, stepMicros: STEP });
  const schema = schemaOf(records);
  const part = (keep: (r: FlatRecord, i: number) => boolean): FlatRecord[] =>
    records.filter((r, i) => keep(r, i));
  const codeless = part((r, i) => i % 2 === 0 && r.code === undefined);
  const coded = part((r, i) => i % 2 === 0 && r.code !== undefined);
  const odd = part((_, i) => i % 2 === 1 && i % 3 !== 0);
  const hotA = part((_, i) => i % 2 === 1 && i % 3 === 0 && i < 500);
  const hotB = part((_, i) => i % 2 === 1 && i % 3 === 0 && i >= 500);
  // Each file gets the schema of its own rows: `codeless` has no code/message/... columns.
  const files = [
    await writeParquet(dir.path, 'codeless', schemaOf(codeless), codeless, 64),
    await writeParquet(dir.path, 'coded', schemaOf(coded), coded),
    await writeParquet(dir.path, 'odd', schemaOf(odd), odd),
  ];
  engine = await createSearchEngine({
    tempDir: `${dir.path}/tmp`,
    allowedDirectories: [dir.path],
    threads: 2,
  });
  sources = [
    {
      name: 'default',
      schema: [...schema, { name: 'never_written', type: 'Utf8' }],
      parquetFiles: files,
      tables: [tableOf(schema, hotA), tableOf(schema, hotB)],
    },
    {
      name: 'pods',
      schema,
      parquetFiles: files,
      settings: { full_text_search_keys: ['kubernetes_pod_name'] },
    },
    {
      name: 'metrics_only',
      schema: [
        { name: '_timestamp', type: 'Int64' },
        { name: 'value', type: 'Float64' },
      ],
      parquetFiles: [],
    },
    { name: 'empty', schema: [], parquetFiles: [] },
  ];
});

afterAll(async () => {
  await engine?.close();
  await dir?.remove();
});

describe('search over Parquet files and in-memory tables', () => {
  it('counts every row once, whichever file or table holds it', async () => {
    const count = await search('SELECT count(*) FROM "default"');
    expect(count.hits).toEqual([{ 'count(*)': raw.length }]);
    const all = await search('SELECT _timestamp FROM "default"');
    expect(ids(all)).toEqual(raw.map((_, i) => i));
    expect(all.scan_records).toBe(raw.length);
  });

  it('match_all is a case-insensitive substring search over the full-text fields', async () => {
    const expected = oracle((r) => ftsTexts(r).some((t) => t.toLowerCase().includes('error')));
    expect(expected.length).toBeGreaterThan(0);
    const result = await search(`SELECT * FROM "default" WHERE match_all('error')`);
    expect(ids(result)).toEqual(expected);
    for (const hit of result.hits) expect(hit.log).toBe(raw[indexOf(hit)]!.log);
    const upper = await search(`SELECT * FROM "default" WHERE match_all_raw_ignore_case('ERROR')`);
    expect(ids(upper)).toEqual(expected);
    const starred = await search(`SELECT * FROM "default" WHERE match_all('*ERROR*')`);
    expect(ids(starred)).toEqual(expected);
  });

  it('match_all_raw is case-sensitive', async () => {
    const expected = oracle((r) => ftsTexts(r).some((t) => t.includes('Error')));
    const result = await search(`SELECT * FROM "default" WHERE match_all_raw('Error')`);
    expect(ids(result)).toEqual(expected);
    const none = await search(`SELECT * FROM "default" WHERE match_all_raw('ERROR')`);
    expect(ids(none)).toEqual(oracle((r) => ftsTexts(r).some((t) => t.includes('ERROR'))));
  });

  it('str_match, str_match_ignore_case, re_match, re_not_match and fuzzy_match', async () => {
    const log = (r: Raw): string | undefined => text(r.log);
    expect(ids(await search(`SELECT * FROM "default" WHERE str_match(log, 'error')`))).toEqual(
      oracle((r) => log(r)?.includes('error') === true),
    );
    expect(
      ids(await search(`SELECT * FROM "default" WHERE str_match_ignore_case(log, 'WATCH')`)),
    ).toEqual(oracle((r) => log(r)?.toLowerCase().includes('watch') === true));
    expect(
      ids(await search(`SELECT * FROM "default" WHERE re_match(log, 'v1\\.(Pod|Service)')`)),
    ).toEqual(oracle((r) => /v1\.(Pod|Service)/.test(log(r) ?? '')));
    expect(
      ids(
        await search(`SELECT * FROM "default" WHERE log IS NOT NULL AND re_not_match(log, '^ts=')`),
      ),
    ).toEqual(oracle((r) => log(r) !== undefined && !/^ts=/.test(log(r)!)));
    const fuzzy = await search(`SELECT * FROM "default" WHERE fuzzy_match(log, 'eror', 1)`);
    expect(ids(fuzzy)).toEqual(
      oracle((r) =>
        (log(r) ?? '').split(/\s+/).some((t) => t !== '' && levenshtein(t, 'eror') <= 1),
      ),
    );
  });

  it('filters code = 200, IS NULL, IS NOT NULL and > 399', async () => {
    const code = (r: Raw): unknown => r.code;
    expect(ids(await search(`SELECT * FROM "default" WHERE code = 200`))).toEqual(
      oracle((r) => code(r) === 200),
    );
    expect(ids(await search(`SELECT * FROM "default" WHERE code IS NULL`))).toEqual(
      oracle((r) => code(r) === null || code(r) === undefined),
    );
    expect(ids(await search(`SELECT * FROM "default" WHERE code IS NOT NULL`))).toEqual(
      oracle((r) => typeof code(r) === 'number'),
    );
    expect(ids(await search(`SELECT * FROM "default" WHERE code > 399`))).toEqual(
      oracle((r) => typeof code(r) === 'number' && (code(r) as number) > 399),
    );
  });

  it('histogram buckets by 10 s from 2001-01-01 and reports the interval', async () => {
    const result = await search(
      `SELECT histogram(_timestamp, '10 second') AS zo_sql_key, count(*) AS zo_sql_num
       FROM "default" GROUP BY zo_sql_key ORDER BY zo_sql_key`,
    );
    const buckets = new Map<string, number>();
    raw.forEach((_, i) => {
      const ms = Math.floor(ts(i) / 10_000_000) * 10_000;
      const key = new Date(ms).toISOString().slice(0, 19);
      buckets.set(key, (buckets.get(key) ?? 0) + 1);
    });
    expect(result.hits).toEqual(
      [...buckets].map(([zo_sql_key, zo_sql_num]) => ({ zo_sql_key, zo_sql_num })),
    );
    expect(result.hits.reduce((n, h) => n + (h.zo_sql_num as number), 0)).toBe(raw.length);
    expect(result.histogram_interval).toBe(10);
    expect(result.total).toBe(buckets.size);
    const snapped = await search(
      `SELECT histogram(_timestamp, '7 seconds') AS k, count(*) AS n FROM "default" GROUP BY k`,
    );
    expect(snapped.histogram_interval).toBe(10);
    const auto = await search(`SELECT histogram(_timestamp) AS k FROM "default" GROUP BY k`);
    expect(auto.histogram_interval).toBe(10); // 98 s range → 10 s
    // 22:13 UTC is 06:13 the next day in UTC+8, by offset or by zone name.
    for (const zone of ['+08:00', 'Asia/Shanghai']) {
      const zoned = await search(
        `SELECT histogram(_timestamp, '1 day', '${zone}') AS k, count(*) AS n FROM "default" GROUP BY k`,
      );
      expect(zoned.hits).toEqual([{ k: '2023-11-15T00:00:00', n: raw.length }]);
    }
  });

  it('groups by kubernetes_namespace_name', async () => {
    const result = await search(
      `SELECT kubernetes_namespace_name AS ns, count(*) AS n FROM "default" GROUP BY ns ORDER BY n DESC, ns`,
    );
    const counts = new Map<string, number>();
    for (const r of raw) {
      const ns = String(r['kubernetes.namespace_name']);
      counts.set(ns, (counts.get(ns) ?? 0) + 1);
    }
    const expected = [...counts]
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
      .map(([ns, n]) => ({ ns, n }));
    expect(result.hits).toEqual(expected);
    expect(result.total).toBe(expected.length);
  });

  it('applies the time range half-open: start included, end excluded', async () => {
    const result = await search('SELECT _timestamp FROM "default"', {
      startTime: ts(100),
      endTime: ts(200),
    });
    expect(ids(result)).toEqual(Array.from({ length: 100 }, (_, k) => 100 + k));
    const empty = await search('SELECT count(*) AS n FROM "default"', {
      startTime: ts(100),
      endTime: ts(100),
    });
    expect(empty.hits).toEqual([{ n: 0 }]);
  });

  it('omits null columns, returns _timestamp as a number and reads never-written columns as NULL', async () => {
    const result = await search(`SELECT * FROM "default" WHERE code IS NULL`, { size: 20 });
    for (const hit of result.hits) {
      expect(typeof hit._timestamp).toBe('number');
      expect(Object.values(hit)).not.toContain(null);
      expect(hit).not.toHaveProperty('code');
      expect(hit).not.toHaveProperty('never_written');
    }
    const nulls = await search(`SELECT count(*) AS n FROM "default" WHERE never_written IS NULL`);
    expect(nulls.hits).toEqual([{ n: raw.length }]);
  });

  it('orders plain selects newest first and adds _timestamp to their projection', async () => {
    const result = await search('SELECT log FROM "default"', { size: 50 });
    const times = result.hits.map((h) => h._timestamp as number);
    expect(times).toEqual([...times].sort((a, b) => b - a));
    expect(times[0]).toBe(ts(raw.length - 1));
    const ordered = await search('SELECT _timestamp FROM "default" ORDER BY _timestamp ASC', {
      size: 3,
    });
    expect(ids(ordered)).toEqual([0, 1, 2]);
    expect(ordered.hits.map(indexOf)).toEqual([0, 1, 2]);
  });

  it('combines size, SQL LIMIT, the default limit and from as O2 does', async () => {
    const sql = 'SELECT _timestamp FROM "default"';
    expect((await search(sql, { size: 10 })).hits).toHaveLength(10);
    expect((await search(`${sql} LIMIT 5`, { size: 10 })).hits).toHaveLength(5);
    expect((await search(`${sql} LIMIT 50`, { size: 10 })).hits).toHaveLength(10);
    expect((await search(`${sql} LIMIT 7`, { size: -1 })).hits).toHaveLength(7);
    expect((await search(`${sql} LIMIT 7`, { size: 0 })).hits).toHaveLength(7);
    expect((await search(sql, { size: -999 })).hits).toHaveLength(raw.length);
    const capped = await engine.search(
      { sql, startTime: ts(0), endTime: ts(raw.length), size: 0 },
      sources,
      { defaultLimit: 100 },
    );
    expect(capped.hits).toHaveLength(100);
    expect(capped.is_partial).toBe(true);
    const paged = await search(sql, { size: 5, from: 10 });
    expect(paged.hits.map(indexOf)).toEqual([970, 969, 968, 967, 966]);
    expect(paged.from).toBe(10);
    expect(paged.size).toBe(5);
    expect(paged.total).toBe(5);
    const tracked = await search(`${sql} WHERE code = 200`, { size: 5, trackTotalHits: true });
    expect(tracked.hits).toHaveLength(5);
    expect(tracked.total).toBe(oracle((r) => r.code === 200).length);
  });

  it('searches the stream settings full_text_search_keys too', async () => {
    const result = await engine.search(
      {
        sql: `SELECT * FROM pods WHERE match_all('PROMETHEUS-K8S')`,
        startTime: ts(0),
        endTime: ts(raw.length),
        size: -999,
      },
      sources,
    );
    // `pods` has the same files but no in-memory tables.
    const inFiles = (i: number): boolean => !(i % 2 === 1 && i % 3 === 0);
    const expected = oracle((r) =>
      [...ftsTexts(r), text(r['kubernetes.pod_name']) ?? ''].some((t) =>
        t.toLowerCase().includes('prometheus-k8s'),
      ),
    ).filter(inFiles);
    expect(expected.length).toBeGreaterThan(0);
    expect(ids(result)).toEqual(expected);
  });

  it('accepts URL-safe base64 SQL', async () => {
    const sql = Buffer.from(
      `SELECT count(*) AS n FROM "default" WHERE match_all('error')`,
    ).toString('base64url');
    const result = await search(sql, { encoding: 'base64' });
    expect(result.hits).toEqual([
      { n: oracle((r) => ftsTexts(r).some((t) => t.toLowerCase().includes('error'))).length },
    ]);
  });

  it('supports CTEs, joins of a stream with itself, CASE, COALESCE and DISTINCT', async () => {
    const cte = await search(
      `WITH errors AS (SELECT * FROM "default" WHERE match_all('error'))
       SELECT count(*) AS n FROM errors`,
    );
    expect(cte.hits).toEqual([
      { n: oracle((r) => ftsTexts(r).some((t) => t.toLowerCase().includes('error'))).length },
    ]);
    const joined = await search(
      `SELECT count(*) AS n FROM "default" a JOIN "default" b ON a._timestamp = b._timestamp`,
    );
    expect(joined.hits).toEqual([{ n: raw.length }]);
    const rows = await search(
      `SELECT * FROM "default" a JOIN pods b ON a._timestamp = b._timestamp WHERE a.code = 200`,
    );
    // `pods` reads the files only, not the in-memory tables (rows i ≡ 3 mod 6).
    const inFiles = (i: number): boolean => i % 6 !== 3;
    expect(ids(rows)).toEqual(oracle((r) => r.code === 200).filter(inFiles));
    const picked = await search(
      `SELECT a._timestamp, b.log FROM "default" a JOIN pods b ON a._timestamp = b._timestamp`,
      { size: 3 },
    );
    const newest = raw
      .map((_, i) => i)
      .filter(inFiles)
      .reverse()
      .slice(0, 3);
    expect(picked.hits.map(indexOf)).toEqual(newest);
    const distinct = await search(
      `SELECT DISTINCT COALESCE(method, 'none') AS m, CASE WHEN code = 200 THEN 'ok' ELSE 'other' END AS c
       FROM "default" ORDER BY m, c`,
    );
    expect(distinct.hits).toEqual([
      { m: 'GET', c: 'ok' },
      { m: 'POST', c: 'ok' },
      { m: 'none', c: 'other' },
    ]);
  });
});

describe('hits as O2 writes them', () => {
  it('turns DuckDB types into plain JSON values', async () => {
    const result = await search(
      `SELECT sum(took) AS s, avg(took) AS a, 1.25::DECIMAL(6,2) AS d, [1, 2] AS l, {'k': 'v'} AS st,
              make_timestamp(min(_timestamp)) AS t, max(code) = 200 AS b, CAST(9007199254740993 AS VARCHAR) AS big,
              NULL AS n
       FROM "default"`,
    );
    const took = raw.map((r) => r.took).filter((t): t is number => typeof t === 'number');
    expect(result.hits).toEqual([
      {
        s: took.reduce((a, b) => a + b, 0),
        a: took.reduce((a, b) => a + b, 0) / took.length,
        d: 1.25,
        l: [1, 2],
        st: { k: 'v' },
        t: '2023-11-14T22:13:20',
        b: true,
        big: '9007199254740993',
      },
    ]);
  });

  it('answers concurrent searches on separate connections', async () => {
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, k) =>
        search(`SELECT count(*) AS n FROM "default" WHERE _timestamp >= ${ts(k * 100)}`),
      ),
    );
    expect(results.map((r) => r.hits[0])).toEqual(
      Array.from({ length: 6 }, (_, k) => ({ n: raw.length - k * 100 })),
    );
  });
});

describe('engine', () => {
  it('names the streams a query reads, skipping CTE names', async () => {
    expect(
      await engine.referencedStreams(
        `WITH recent AS (SELECT * FROM "default") SELECT * FROM recent JOIN logs.pods p ON true`,
      ),
    ).toEqual([{ name: 'default' }, { name: 'pods', type: 'logs' }]);
  });

  it('interrupts a query that runs past its deadline', async () => {
    const slow = await createSearchEngine({
      tempDir: `${dir.path}/slow`,
      allowedDirectories: [dir.path],
      timeoutMs: 50,
    });
    try {
      const error = await slow
        .search(
          {
            sql: 'SELECT count(*) FROM "default" a, "default" b, "default" c WHERE a.log < c.log',
            startTime: ts(0),
            endTime: ts(raw.length),
          },
          sources,
        )
        .then(
          () => undefined,
          (err: unknown) => err,
        );
      expect(searchErrorCode(error)).toBe(20008);
      expect(error).toMatchObject({ code: 'DEADLINE_EXCEEDED' });
    } finally {
      await slow.close();
    }
  });
});

describe('search errors carry O2 codes', () => {
  it('20001 for invalid SQL and anything but a read-only SELECT', async () => {
    expect(await searchCode('SELEC * FROM "default"')).toBe(20001);
    expect(await searchCode('DELETE FROM "default"')).toBe(20001);
    expect(await searchCode(`COPY "default" TO '/tmp/x.csv'`)).toBe(20001);
    expect(await searchCode(`ATTACH '/tmp/x.db'`)).toBe(20001);
    expect(await searchCode(`INSTALL httpfs`)).toBe(20001);
    expect(await searchCode(`SET threads = 1`)).toBe(20001);
    expect(await searchCode(`PRAGMA version`)).toBe(20001);
    expect(await searchCode('SELECT 1; SELECT 2')).toBe(20001);
    expect(await searchCode(`SELECT * FROM read_csv('/etc/passwd')`)).toBe(20001);
    expect(
      await searchCode(`SELECT (SELECT count(*) FROM read_text('/etc/passwd')) FROM "default"`),
    ).toBe(20001);
    expect(await searchCode(`SELECT current_setting('allowed_directories') FROM "default"`)).toBe(
      20001,
    );
    expect(await searchCode(`SELECT histogram(_timestamp, '10') FROM "default"`)).toBe(20001);
    expect(await searchCode(`SELECT * FROM "default" WHERE match_all(log)`)).toBe(20001);
  });

  it('20002 for unknown streams, empty schemas and file paths', async () => {
    expect(await searchCode('SELECT * FROM nostream')).toBe(20002);
    expect(await searchCode('SELECT * FROM empty')).toBe(20002);
    expect(await searchCode(`SELECT * FROM '/etc/passwd'`)).toBe(20002);
    expect(await searchCode('SELECT * FROM information_schema.tables')).toBe(20002);
  });

  it('20003 when the stream has no full-text field', async () => {
    expect(await searchCode(`SELECT * FROM metrics_only WHERE match_all('x')`)).toBe(20003);
  });

  it('20004 for a column the stream does not have', async () => {
    expect(await searchCode('SELECT nope FROM "default"')).toBe(20004);
    expect(await searchCode('SELECT * FROM "default" WHERE nope = 1')).toBe(20004);
  });

  it('20008 for failures while executing', async () => {
    expect(await searchCode(`SELECT CAST(log AS INTEGER) AS x FROM "default"`)).toBe(20008);
    expect(await searchCode(`SELECT * FROM "default" WHERE re_match(log, '(')`)).toBe(20008);
  });
});

describe('_values', () => {
  const window = (): { startTime: number; endTime: number } => ({
    startTime: ts(0),
    endTime: ts(raw.length),
  });

  it('returns top values per field as zo_sql_key / zo_sql_num', async () => {
    const result = await engine.values(
      { name: 'default' },
      { fields: ['kubernetes_namespace_name', 'missing_field'], size: 3, ...window() },
      sources,
    );
    expect(result.total).toBe(1);
    expect(result.hits).toEqual([
      {
        field: 'kubernetes_namespace_name',
        values: [
          { zo_sql_key: 'ingress-nginx', zo_sql_num: 285 },
          { zo_sql_key: 'ziox', zo_sql_num: 275 },
          { zo_sql_key: 'velero', zo_sql_num: 215 },
        ],
      },
    ]);
  });

  it('filter, keyword and sql narrow the rows; quotes stay inside the literals', async () => {
    const values = async (extra: Record<string, string>): Promise<unknown> =>
      (
        await engine.values(
          { name: 'default' },
          { fields: ['method'], ...window(), ...extra },
          sources,
        )
      ).hits;
    // The contract's SQL keeps the NULL group; null keys are omitted like any null column.
    const inNamespaces = (r: Raw): boolean =>
      ['zinc-cp1', 'ziox'].includes(String(r['kubernetes.namespace_name']));
    expect(await values({ filter: 'kubernetes_namespace_name=zinc-cp1,ziox' })).toEqual([
      {
        field: 'method',
        values: [
          { zo_sql_num: oracle((r) => inNamespaces(r) && r.method === null).length },
          {
            zo_sql_key: 'POST',
            zo_sql_num: oracle((r) => inNamespaces(r) && r.method === 'POST').length,
          },
          {
            zo_sql_key: 'GET',
            zo_sql_num: oracle((r) => inNamespaces(r) && r.method === 'GET').length,
          },
        ],
      },
    ]);
    expect(await values({ filter: "kubernetes_namespace_name=' OR 1=1 --" })).toEqual([
      { field: 'method', values: [] },
    ]);
    expect(await values({ keyword: "' OR 1=1 --" })).toEqual([{ field: 'method', values: [] }]);
    expect(await values({ keyword: 'pos' })).toEqual([
      { field: 'method', values: [{ zo_sql_key: 'POST', zo_sql_num: 183 }] },
    ]);
    const sql = Buffer.from(`SELECT * FROM "default" WHERE took > 50`).toString('base64url');
    const tookOver50 = oracle((r) => typeof r.took === 'number' && r.took > 50);
    const narrowed = (await values({ sql })) as Array<{ values: Array<{ zo_sql_num: number }> }>;
    expect(narrowed[0]!.values.reduce((n, v) => n + v.zo_sql_num, 0)).toBe(tookOver50.length);
  });
});

function levenshtein(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length]!;
}
