import { beforeEach, describe, expect, it } from 'vitest';
import { FileAnswers } from './file-answers.js';
import { search, ts, useK8sSearchWorld, world } from './test-support/k8s-search-world.js';
import type { SearchQuery } from '@o2/domain';
import type { RemotePartials, SearchResponse, StreamSource } from './types.js';

useK8sSearchWorld();

interface Cluster {
  sources: StreamSource[];
  /** The partial SQL each call sent, and the bytes (Parquet or text) each worker answered. */
  sent: string[];
  answered: number[];
}

/**
 * The `default` stream spread like a cluster spreads it: the leader keeps the first file and the
 * in-memory tables, one worker answers for the second file, and the third file's worker is
 * "unavailable" (its file comes back for the leader to read). Workers run `engine.partial`, the
 * real worker path, on the same engine.
 */
function cluster(): Cluster {
  const base = world.sources[0]!;
  const [leaderFile, workerFile, lostFile] = base.parquetFiles;
  const sent: string[] = [];
  const answered: number[] = [];
  const remote = async (
    sql: string,
    range: { startTs: number; endTs: number },
  ): Promise<RemotePartials> => {
    sent.push(sql);
    const worker = { ...base, parquetFiles: [workerFile!], tables: [] };
    const answer = await world.engine.partial(
      sql,
      { startTime: range.startTs, endTime: range.endTs },
      worker,
    );
    const { records } = answer;
    if ('rows' in answer) {
      answered.push(JSON.stringify(answer.rows).length);
      return { parquet: [], rows: [answer.rows], files: [lostFile!], records };
    }
    answered.push(answer.parquet.byteLength);
    return { parquet: [answer.parquet], rows: [], files: [lostFile!], records };
  };
  const split = { ...base, parquetFiles: [leaderFile!], remote };
  return { sources: [split, ...world.sources.slice(1)], sent, answered };
}

async function both(
  sql: string,
  extra: Partial<SearchQuery> = {},
): Promise<{ whole: SearchResponse; split: SearchResponse; c: Cluster }> {
  const whole = await search(sql, extra);
  const c = cluster();
  const split = await world.engine.search(
    { sql, startTime: ts(0), endTime: ts(world.raw.length), size: -999, ...extra },
    c.sources,
  );
  return { whole, split, c };
}

/** Shapes the split merges from partial aggregates (each worker sends a few rows). */
const AGGREGATES = [
  'SELECT count(*) FROM "default"',
  `SELECT count(*) FROM "default" WHERE match_all('error')`,
  'SELECT count(*) AS n, count(code) AS c FROM "default" WHERE code >= 200',
  'SELECT kubernetes_namespace_name AS ns, count(*) AS n FROM "default" GROUP BY ns ORDER BY ns',
  'SELECT kubernetes_namespace_name, count(*) FROM "default" GROUP BY 1 ORDER BY 2 DESC, 1',
  `SELECT histogram(_timestamp, '10 seconds') AS zo_sql_key, count(*) AS zo_sql_num FROM "default" GROUP BY zo_sql_key ORDER BY zo_sql_key`,
  `SELECT histogram(_timestamp) AS k, kubernetes_namespace_name AS ns, count(*) AS n FROM "default" WHERE code IS NOT NULL GROUP BY k, ns ORDER BY k, ns`,
  'SELECT code, sum(code) AS s, min(_timestamp) AS lo, max(_timestamp) AS hi FROM "default" GROUP BY code ORDER BY code NULLS FIRST',
  'SELECT kubernetes_namespace_name AS ns, avg(code) AS a, count(*) AS n FROM "default" GROUP BY ns ORDER BY ns',
  'SELECT avg(code), sum(code), min(code), max(code), count(code) FROM "default"',
  'SELECT kubernetes_namespace_name AS ns, count(*) AS n FROM "default" GROUP BY ns HAVING count(*) > 10 ORDER BY n DESC, ns LIMIT 2',
  'SELECT kubernetes_namespace_name AS ns, count(*) AS n FROM "default" GROUP BY ns ORDER BY n DESC, ns LIMIT 2 OFFSET 1',
  'SELECT upper(kubernetes_namespace_name) AS ns, max(code) - min(code) AS spread FROM "default" GROUP BY upper(kubernetes_namespace_name) ORDER BY ns',
  'SELECT DISTINCT code FROM "default" GROUP BY code ORDER BY code',
  'SELECT code FROM "default" GROUP BY code ORDER BY code',
  'SELECT count(*) FROM "default" WHERE _timestamp < 0',
  'SELECT code, count(*) FROM "default" WHERE _timestamp < 0 GROUP BY code',
];

/** Shapes the split cannot merge: the workers still ship only the rows the WHERE keeps. */
const FALLBACKS = [
  'SELECT count(DISTINCT kubernetes_namespace_name) AS n FROM "default"',
  'SELECT approx_count_distinct(code) AS n FROM "default" WHERE code > 0',
  'SELECT median(code) AS m FROM "default"',
  'SELECT string_agg(DISTINCT kubernetes_namespace_name, \',\' ORDER BY kubernetes_namespace_name) AS s FROM "default"',
  'SELECT count(*) FILTER (WHERE code > 300) AS n FROM "default"',
  'SELECT * FROM (SELECT code, count(*) AS n FROM "default" GROUP BY code) ORDER BY code NULLS FIRST',
  'SELECT code, row_number() OVER (ORDER BY _timestamp) AS r FROM "default" WHERE code > 400 ORDER BY _timestamp',
  'SELECT count(*) FROM "default" WHERE code IN (SELECT max(code) FROM "default")',
];

/** Row queries: the workers ship matching rows (top N per worker under ORDER BY … LIMIT). */
const ROWS = [
  'SELECT * FROM "default"',
  'SELECT * FROM "default" WHERE code >= 400',
  `SELECT _timestamp, log FROM "default" WHERE match_all('error') ORDER BY _timestamp DESC LIMIT 7`,
  'SELECT _timestamp, code FROM "default" ORDER BY _timestamp LIMIT 5 OFFSET 3',
  'SELECT code AS c, _timestamp FROM "default" WHERE code IS NOT NULL ORDER BY _timestamp DESC LIMIT 4',
  'SELECT _timestamp AS t FROM "default" ORDER BY t LIMIT 3',
  'SELECT "default"._timestamp, "default".code FROM "default" WHERE "default".code > 300 ORDER BY 1 LIMIT 9',
];

describe('split queries (partial on each querier, final on the leader)', () => {
  it.each(AGGREGATES)('aggregate split answers like the unsplit query: %s', async (sql) => {
    const { whole, split, c } = await both(sql);
    expect(split.hits).toEqual(whole.hits);
    expect(split.total).toEqual(whole.total);
    expect(c.sent).toHaveLength(1);
    // The partial carries the group keys and partial aggregates, nothing row-sized.
    expect(c.sent[0]).toMatch(/__o2_/);
  });

  it.each(FALLBACKS)('unsplittable aggregates still answer the same: %s', async (sql) => {
    const { whole, split, c } = await both(sql);
    expect(split.hits).toEqual(whole.hits);
    expect(c.sent).toHaveLength(1);
    expect(c.sent[0]).not.toMatch(/__o2_[kp]/);
  });

  it.each(ROWS)('row queries answer the same: %s', async (sql) => {
    const { whole, split } = await both(sql);
    expect(split.hits).toEqual(whole.hits);
    expect(split.total).toEqual(whole.total);
  });

  it.each([AGGREGATES[0]!, AGGREGATES[3]!, ROWS[0]!])(
    "the leader's late rows (ingesters' tables, added files) join its share: %s",
    async (sql) => {
      const whole = await search(sql);
      const c = cluster();
      const [own, ...rest] = c.sources;
      // The leader's file and in-memory tables arrive while the workers run (`late`).
      const late = Promise.resolve({ tables: own!.tables ?? [], parquetFiles: own!.parquetFiles });
      const split = { ...own!, parquetFiles: [], tables: [], late };
      const request = { sql, startTime: ts(0), endTime: ts(world.raw.length), size: -999 };
      const answer = await world.engine.search(request, [split, ...rest]);
      expect(answer.hits).toEqual(whole.hits);
      expect(answer.total).toEqual(whole.total);
    },
  );

  it('a late share that fails fails the query', async () => {
    const c = cluster();
    const [own, ...rest] = c.sources;
    const late = Promise.reject(new Error('ingester gone'));
    late.catch(() => undefined); // as the resolver does: awaited only once the workers are asked
    const split = { ...own!, late };
    const request = { sql: AGGREGATES[0]!, startTime: ts(0), endTime: ts(world.raw.length) };
    await expect(world.engine.search(request, [split, ...rest])).rejects.toThrow(/ingester gone/);
  });

  it('with a default limit and a total-hits count, every matching row still counts', async () => {
    const sql = 'SELECT _timestamp, code FROM "default" WHERE code > 200';
    const { whole, split, c } = await both(sql, { size: 5, trackTotalHits: true });
    expect(split.hits).toEqual(whole.hits);
    expect(split.total).toBe(whole.total);
    expect(split.total).toBeGreaterThan(5);
    expect(c.sent[0]).not.toMatch(/LIMIT/);
  });

  it('pushes the WHERE and only the named columns to the workers', async () => {
    const { c } = await both(`SELECT count(DISTINCT code) FROM "default" WHERE code > 300`);
    expect(c.sent[0]).toMatch(/WHERE/);
    expect(c.sent[0]).toMatch(/SELECT code FROM/);
    const top = await both('SELECT _timestamp, log FROM "default" ORDER BY _timestamp LIMIT 5');
    expect(top.c.sent[0]).toMatch(/ORDER BY _timestamp.*LIMIT 5/);
  });

  it('a group-by answer is a few hundred bytes, whatever the rows scanned', async () => {
    const { c } = await both(
      'SELECT kubernetes_namespace_name AS ns, count(*) FROM "default" GROUP BY ns',
    );
    expect(c.answered[0]).toBeLessThan(2048);
    const rows = await both('SELECT * FROM "default"');
    expect(rows.c.answered[0]).toBeGreaterThan(10 * c.answered[0]!);
  });

  it('a worker refuses a partial that reads anything but one stream', async () => {
    const base = world.sources[0]!;
    const range = { startTime: ts(0), endTime: ts(world.raw.length) };
    for (const sql of [
      `SELECT * FROM read_parquet('/etc/passwd')`,
      'SELECT * FROM a, b',
      'WITH x AS (SELECT 1) SELECT * FROM x',
      'SELECT * FROM a WHERE b IN (SELECT 1 FROM c)',
      `SELECT getenv('HOME') FROM a`,
      'DELETE FROM a',
    ]) {
      await expect(world.engine.partial(sql, range, base)).rejects.toMatchObject({
        code: 'INVALID_ARGUMENT',
      });
    }
  });
});

describe('split plan memo', () => {
  it('plans a repeated query from its memo, and anew for a grown schema', async () => {
    const sql = 'SELECT * FROM "default" ORDER BY _timestamp DESC LIMIT 5';
    const first = await both(sql);
    const again = await both(sql);
    expect(again.c.sent).toEqual(first.c.sent);
    expect(again.split.hits).toEqual(first.split.hits);
    // A field added to the stream's schema (a key of the memo): planned again, same rows.
    const c = cluster();
    const grown = c.sources.map((s, i) =>
      i === 0 ? { ...s, schema: [...s.schema, { name: 'fresh', type: 'Utf8' as const }] } : s,
    );
    const answer = await world.engine.search(
      { sql, startTime: ts(0), endTime: ts(world.raw.length), size: -999 },
      grown,
    );
    expect(answer.hits.map((h) => h['_timestamp'])).toEqual(
      first.split.hits.map((h) => h['_timestamp']),
    );
  });
});

describe('shares answered from kept per-file partials', () => {
  const engine = () => world.engine as unknown as { answers: FileAnswers };
  const answersOf = () => engine().answers;
  // Earlier tests ran some of these partials already: each test starts from none kept.
  beforeEach(() => {
    engine().answers = new FileAnswers();
  });
  const splitRun = async (sql: string, extra: Partial<SearchQuery> = {}) =>
    world.engine.search(
      { sql, startTime: ts(0), endTime: ts(world.raw.length), size: -999, ...extra },
      cluster().sources,
    );

  // Partials all unlike each other (a HAVING or ORDER BY stays in the final: same partial).
  it.each([AGGREGATES[1]!, AGGREGATES[3]!, AGGREGATES[6]!, AGGREGATES[7]!, AGGREGATES[8]!])(
    'a repeated split aggregate keeps its shares and answers the same: %s',
    async (sql) => {
      // A range cutting the files too: their partials are kept per range.
      const cut = { startTime: ts(3), endTime: ts(world.raw.length - 2) };
      for (const extra of [{}, cut]) {
        const whole = await search(sql, extra);
        // The single node's answer keeps partials too: each range starts from none kept.
        engine().answers = new FileAnswers();
        // Seen once, then filled, then read from the kept partials: the same answer each time.
        for (let i = 0; i < 3; i++) {
          const split = await splitRun(sql, extra);
          expect(split.hits).toEqual(whole.hits);
          expect(split.scan_records).toBe(whole.scan_records);
          // The leader's own file, the worker's and the lost one read here, all kept from the
          // second run on (the first share to meet the partial keeps nothing; the others, in
          // this one process, have seen it); never the leader's in-memory rows.
          if (i === 0) expect(answersOf().size).toBeLessThan(3);
          else expect(answersOf().size).toBe(3);
        }
      }
    },
  );

  it.each([AGGREGATES[1]!, AGGREGATES[6]!])(
    "a share reads the partials the single node's answer kept (one key scheme): %s",
    async (sql) => {
      const whole = await search(sql);
      // Seen, then kept: every stored file's partial (and the in-memory tables' copies).
      expect((await search(sql)).hits).toEqual(whole.hits);
      const kept = answersOf().size;
      expect(kept).toBeGreaterThanOrEqual(3);
      // Twice, so that a share whose keys differed would fill partials of its own.
      for (let i = 0; i < 2; i++) expect((await splitRun(sql)).hits).toEqual(whole.hits);
      expect(answersOf().size).toBe(kept);
    },
  );

  it.each([FALLBACKS[0]!, FALLBACKS[6]!, ROWS[1]!, ROWS[2]!])(
    'keeps nothing for a share whose rows do not merge per key: %s',
    async (sql) => {
      const whole = await search(sql);
      await splitRun(sql);
      const before = answersOf().size;
      for (let i = 0; i < 2; i++) expect((await splitRun(sql)).hits).toEqual(whole.hits);
      expect(answersOf().size).toBe(before);
    },
  );
});
