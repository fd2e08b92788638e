import { describe, expect, it } from 'vitest';
import { createSearchEngine, searchErrorCode } from './index.js';
import {
  oracle,
  search,
  searchCode,
  ts,
  useK8sSearchWorld,
  world,
} from './test-support/k8s-search-world.js';
import type { Raw } from './test-support/k8s-search-world.js';

useK8sSearchWorld();

describe('hits as O2 writes them', () => {
  it('turns DuckDB types into plain JSON values', async () => {
    const took = world.raw.map((r) => r.took).filter((t): t is number => typeof t === 'number');
    const codes = world.raw.map((r) => r.code).filter((c): c is number => typeof c === 'number');
    const result = await search(
      `SELECT sum(took) AS s, avg(took) AS a, 1.25::DECIMAL(6,2) AS d, [1, 2] AS l, {'k': 'v'} AS st,
              make_timestamp(min(_timestamp)) AS t, max(code) = ${Math.max(...codes)} AS b, CAST(9007199254740993 AS VARCHAR) AS big,
              NULL AS n
       FROM "default"`,
    );
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
      Array.from({ length: 6 }, (_, k) => ({ n: world.raw.length - k * 100 })),
    );
  });
});

describe('engine', () => {
  it('names the streams a query reads, skipping CTE names', async () => {
    expect(
      await world.engine.referencedStreams(
        `WITH recent AS (SELECT * FROM "default") SELECT * FROM recent JOIN logs.pods p ON true`,
      ),
    ).toEqual([{ name: 'default' }, { name: 'pods', type: 'logs' }]);
  });

  it('interrupts a query that runs past its deadline', async () => {
    const slow = await createSearchEngine({
      tempDir: `${world.dir.path}/slow`,
      allowedDirectories: [world.dir.path],
      timeoutMs: 50,
    });
    try {
      const error = await slow
        .search(
          {
            // Four-way cross product over a predicate no optimiser can push down: it cannot end
            // before the deadline even when a loaded machine fires the timer late.
            sql: 'SELECT count(*) FROM "default" a, "default" b, "default" c, "default" d WHERE a.log || b.log < c.log || d.log',
            startTime: ts(0),
            endTime: ts(world.raw.length),
          },
          world.sources,
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
    endTime: ts(world.raw.length),
  });

  it('returns top values per field as zo_sql_key / zo_sql_num', async () => {
    const result = await world.engine.values(
      { name: 'default' },
      { fields: ['kubernetes_namespace_name', 'missing_field'], size: 3, ...window() },
      world.sources,
    );
    const counts = new Map<string, number>();
    for (const r of world.raw) {
      const ns = String(r['kubernetes.namespace_name']);
      counts.set(ns, (counts.get(ns) ?? 0) + 1);
    }
    const top = [...counts].sort((a, b) => b[1] - a[1]);
    // Distinct counts, so the top three are one answer.
    expect(new Set(counts.values()).size).toBe(counts.size);
    expect(top.length).toBeGreaterThan(3);
    expect(result.total).toBe(1);
    expect(result.hits).toEqual([
      {
        field: 'kubernetes_namespace_name',
        values: top.slice(0, 3).map(([zo_sql_key, zo_sql_num]) => ({ zo_sql_key, zo_sql_num })),
      },
    ]);
  });

  it('filter, keyword and sql narrow the rows; quotes stay inside the literals', async () => {
    const values = async (extra: Record<string, string>): Promise<unknown> =>
      (
        await world.engine.values(
          { name: 'default' },
          { fields: ['method'], ...window(), ...extra },
          world.sources,
        )
      ).hits;
    // The contract's SQL keeps the NULL group; null keys are omitted like any null column.
    const inNamespaces = (r: Raw): boolean =>
      ['shop', 'search'].includes(String(r['kubernetes.namespace_name']));
    const methods = new Map<string | null, number>();
    for (const r of world.raw.filter(inNamespaces)) {
      const method = typeof r.method === 'string' ? r.method : null;
      methods.set(method, (methods.get(method) ?? 0) + 1);
    }
    // Both namespaces, a NULL group among the keys and no ties: one well-defined order.
    expect(methods.has(null)).toBe(true);
    expect(methods.size).toBeGreaterThan(2);
    expect(new Set(methods.values()).size).toBe(methods.size);
    expect(await values({ filter: 'kubernetes_namespace_name=shop,search' })).toEqual([
      {
        field: 'method',
        values: [...methods]
          .sort((a, b) => b[1] - a[1])
          .map(([key, n]) =>
            key === null ? { zo_sql_num: n } : { zo_sql_key: key, zo_sql_num: n },
          ),
      },
    ]);
    expect(await values({ filter: "kubernetes_namespace_name=' OR 1=1 --" })).toEqual([
      { field: 'method', values: [] },
    ]);
    expect(await values({ keyword: "' OR 1=1 --" })).toEqual([{ field: 'method', values: [] }]);
    expect(await values({ keyword: 'pos' })).toEqual([
      {
        field: 'method',
        values: [{ zo_sql_key: 'POST', zo_sql_num: oracle((r) => r.method === 'POST').length }],
      },
    ]);
    const sql = Buffer.from(`SELECT * FROM "default" WHERE took > 50`).toString('base64url');
    const tookOver50 = oracle((r) => typeof r.took === 'number' && r.took > 50);
    const narrowed = (await values({ sql })) as Array<{ values: Array<{ zo_sql_num: number }> }>;
    expect(narrowed[0]!.values.reduce((n, v) => n + v.zo_sql_num, 0)).toBe(tookOver50.length);
  });
});
