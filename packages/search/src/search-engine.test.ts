import { describe, expect, it } from 'vitest';
import {
  ftsTexts,
  ids,
  indexOf,
  levenshtein,
  oracle,
  search,
  text,
  ts,
  useK8sSearchWorld,
  world,
} from './test-support/k8s-search-world.js';
import type { Raw } from './test-support/k8s-search-world.js';
import type { NumericList } from './types.js';

useK8sSearchWorld();

describe('search over Parquet files and in-memory tables', () => {
  it('counts every row once, whichever file or table holds it', async () => {
    const count = await search('SELECT count(*) FROM "default"');
    expect(count.hits).toEqual([{ 'count(*)': world.raw.length }]);
    const all = await search('SELECT _timestamp FROM "default"');
    expect(ids(all)).toEqual(world.raw.map((_, i) => i));
    expect(all.scan_records).toBe(world.raw.length);
  });

  it('match_all is a case-insensitive substring search over the full-text fields', async () => {
    const expected = oracle((r) => ftsTexts(r).some((t) => t.toLowerCase().includes('error')));
    expect(expected.length).toBeGreaterThan(0);
    const result = await search(`SELECT * FROM "default" WHERE match_all('error')`);
    expect(ids(result)).toEqual(expected);
    // Null columns are left out of a hit: compare both texts with absent as null.
    for (const hit of result.hits) {
      const raw = world.raw[indexOf(hit)]!;
      expect([hit.log ?? null, hit.message ?? null]).toEqual([
        raw.log ?? null,
        raw.message ?? null,
      ]);
    }
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
    world.raw.forEach((_, i) => {
      const ms = Math.floor(ts(i) / 10_000_000) * 10_000;
      const key = new Date(ms).toISOString().slice(0, 19);
      buckets.set(key, (buckets.get(key) ?? 0) + 1);
    });
    expect(result.hits).toEqual(
      [...buckets].map(([zo_sql_key, zo_sql_num]) => ({ zo_sql_key, zo_sql_num })),
    );
    expect(result.hits.reduce((n, h) => n + (h.zo_sql_num as number), 0)).toBe(world.raw.length);
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
      expect(zoned.hits).toEqual([{ k: '2023-11-15T00:00:00', n: world.raw.length }]);
    }
  });

  it('groups by kubernetes_namespace_name', async () => {
    const result = await search(
      `SELECT kubernetes_namespace_name AS ns, count(*) AS n FROM "default" GROUP BY ns ORDER BY n DESC, ns`,
    );
    const counts = new Map<string, number>();
    for (const r of world.raw) {
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
    expect(nulls.hits).toEqual([{ n: world.raw.length }]);
  });

  it('orders plain selects newest first and adds _timestamp to their projection', async () => {
    const result = await search('SELECT log FROM "default"', { size: 50 });
    const times = result.hits.map((h) => h._timestamp as number);
    expect(times).toEqual([...times].sort((a, b) => b - a));
    expect(times[0]).toBe(ts(world.raw.length - 1));
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
    expect((await search(sql, { size: -999 })).hits).toHaveLength(world.raw.length);
    const capped = await world.engine.search(
      { sql, startTime: ts(0), endTime: ts(world.raw.length), size: 0 },
      world.sources,
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
    const result = await world.engine.search(
      {
        sql: `SELECT * FROM pods WHERE match_all('INDEXER-2')`,
        startTime: ts(0),
        endTime: ts(world.raw.length),
        size: -999,
      },
      world.sources,
    );
    // `pods` has the same files but no in-memory tables.
    const inFiles = (i: number): boolean => !(i % 2 === 1 && i % 3 === 0);
    const expected = oracle((r) =>
      [...ftsTexts(r), text(r['kubernetes.pod_name']) ?? ''].some((t) =>
        t.toLowerCase().includes('indexer-2'),
      ),
    ).filter(inFiles);
    expect(expected.length).toBeGreaterThan(0);
    // Only the pod name holds the term: without the stream's own key nothing would match.
    expect(oracle((r) => ftsTexts(r).some((t) => t.toLowerCase().includes('indexer-2')))).toEqual(
      [],
    );
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
    expect(joined.hits).toEqual([{ n: world.raw.length }]);
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
    const newest = world.raw
      .map((_, i) => i)
      .filter(inFiles)
      .reverse()
      .slice(0, 3);
    expect(picked.hits.map(indexOf)).toEqual(newest);
    const distinct = await search(
      `SELECT DISTINCT COALESCE(method, 'none') AS m, CASE WHEN code = 200 THEN 'ok' ELSE 'other' END AS c
       FROM "default" ORDER BY m, c`,
    );
    const seen = new Set(
      world.raw.map((r) =>
        JSON.stringify([text(r.method) ?? 'none', r.code === 200 ? 'ok' : 'other']),
      ),
    );
    const combinations = [...seen]
      .map((j) => JSON.parse(j) as [string, string])
      .sort(([m1, c1], [m2, c2]) => (m1 === m2 ? (c1 < c2 ? -1 : 1) : m1 < m2 ? -1 : 1))
      .map(([m, c]) => ({ m, c }));
    expect(combinations).toContainEqual({ m: 'none', c: 'other' });
    expect(combinations.length).toBeGreaterThan(4);
    expect(distinct.hits).toEqual(combinations);
  });
});

describe('numericLists', () => {
  it('reads list-of-number columns as typed arrays with NULL items flagged, other columns as usual', async () => {
    const sql =
      'SELECT (_timestamp % 3 = 0) AS k, list(_timestamp ORDER BY _timestamp) AS t, ' +
      'list(code ORDER BY _timestamp) AS c, list(log ORDER BY _timestamp) AS l, ' +
      'list(CAST(_timestamp AS DOUBLE) ORDER BY _timestamp) AS dt, ' +
      'list(CAST(code AS DOUBLE) ORDER BY _timestamp) AS dc ' +
      'FROM "default" GROUP BY k ORDER BY k';
    const request = { sql, startTime: ts(0), endTime: ts(world.raw.length), size: -999 };
    const json = await world.engine.search(request, world.sources);
    const typed = await world.engine.search(request, world.sources, { numericLists: {} });
    expect(typed.hits.length).toBe(json.hits.length);
    let flagged = 0;
    json.hits.forEach((hit, i) => {
      const row = typed.hits[i]!;
      expect(row['k']).toBe(hit['k']);
      expect(row['l']).toEqual(hit['l']); // text lists stay JSON arrays
      const t = row['t'] as NumericList;
      expect(t.values).toBeInstanceOf(Float64Array);
      expect([...t.values]).toEqual(hit['t']);
      expect(t.nulls).toBeUndefined();
      // DOUBLE lists without NULLs are DuckDB's own arrays; BIGINT and NULLs go item by item.
      const dt = row['dt'] as NumericList;
      expect(dt.values).toBeInstanceOf(Float64Array);
      expect([...dt.values]).toEqual(hit['t']);
      const codes = hit['c'] as Array<number | null>;
      for (const c of [row['c'], row['dc']] as NumericList[]) {
        expect(c.values.length).toBe(codes.length);
        codes.forEach((code, j) => {
          if (code === null) {
            expect(c.nulls?.[j]).toBe(1);
            expect(c.values[j]).toBeNaN();
            flagged += 1;
          } else expect(c.values[j]).toBe(code);
        });
      }
    });
    expect(flagged).toBeGreaterThan(0);
    // Lists longer than maxLength come back null, the others as before.
    const lengths = json.hits.map((hit) => (hit['t'] as unknown[]).length);
    const cut = Math.min(...lengths);
    const capped = await world.engine.search(request, world.sources, {
      numericLists: { maxLength: cut },
    });
    capped.hits.forEach((row, i) => {
      if (lengths[i]! > cut) expect(row['t'] ?? null).toBeNull();
      else expect([...(row['t'] as NumericList).values]).toEqual(json.hits[i]!['t']);
    });
    expect(lengths.some((n) => n > cut)).toBe(true);
  });
});
