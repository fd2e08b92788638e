import { readFile, writeFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { FileAnswers } from './file-answers.js';
import { flatK8sRecords, schemaOf, tableOf, writeParquet } from './bench/k8s-fixture.js';
import type { SearchQuery } from '@o2/domain';
import type { Hit, SearchResponse, StreamSource } from './index.js';
import {
  BASE,
  STEP,
  search,
  ts,
  useK8sSearchWorld,
  world,
} from './test-support/k8s-search-world.js';

useK8sSearchWorld();

const answersOf = (): FileAnswers => (world.engine as unknown as { answers: FileAnswers }).answers;
/** Split plans the engine memoised: one is planned only for an aggregate it answers per file. */
const plannedSplits = (): number =>
  (world.engine as unknown as { splits: { size: number } }).splits.size;

/** Hits in a stable order (a GROUP BY without ORDER BY answers in any order). */
const sorted = (response: SearchResponse): Hit[] =>
  [...response.hits].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));

const QUERIES = [
  `SELECT count(*) AS n FROM "default" WHERE code = 200`,
  `SELECT kubernetes_namespace_name AS k, count(*) AS n FROM "default" GROUP BY k`,
  `SELECT histogram(_timestamp, '10 second') AS t, count(*) AS n FROM "default" GROUP BY t ORDER BY t`,
  `SELECT code, count(*) AS n, min(took) AS lo, max(took) AS hi, sum(took) AS s, avg(took) AS a ` +
    `FROM "default" WHERE code IS NOT NULL GROUP BY code HAVING count(*) > 1 ORDER BY n DESC, code`,
  `SELECT kubernetes_container_name AS c, count(never_written) AS w, count(message) AS m ` +
    `FROM "default" WHERE match_all('error') GROUP BY c ORDER BY c`,
];

describe('aggregates answered from per-file partials', () => {
  it('answers a repeated aggregate as its first, unkept run did, once its partials are kept (files and in-memory tables)', async () => {
    for (const sql of QUERIES) {
      const before = answersOf().size;
      const planned = plannedSplits();
      const first = await search(sql);
      // First sight of a query: no split planned, no per-file statements, the plain scan.
      expect(answersOf().size).toBe(before);
      expect(plannedSplits()).toBe(planned);
      // The second run keeps every partial: the files', the in-memory tables' and the files'
      // combined; the third reads them and keeps nothing more.
      const filled = await search(sql);
      const allKept = answersOf().size;
      const { parquetFiles, tables } = world.sources[0]!;
      expect(parquetFiles.length).toBeGreaterThan(1);
      expect(allKept).toBe(before + parquetFiles.length + tables!.length + 1);
      const kept = await search(sql);
      expect(answersOf().size).toBe(allKept);
      const remembered = await search(sql);
      expect(answersOf().size).toBe(allKept);
      for (const again of [filled, kept, remembered]) {
        expect(sorted(again)).toEqual(sorted(first));
        expect(again.scan_records).toBe(first.scan_records);
        expect(again.scan_size).toBe(first.scan_size);
      }
    }
  });

  it('answers the same from kept partials alone (no in-memory rows: the union inlined)', async () => {
    for (const sql of QUERIES.slice(0, 4).map((q) => q.replace('"default"', '"pods"'))) {
      const first = await search(sql);
      await search(sql); // the files' partials, and all of them as one table
      const before = answersOf().size;
      const kept = await search(sql);
      expect(answersOf().size).toBe(before); // nothing filled: every partial was kept
      expect(sorted(kept)).toEqual(sorted(first));
    }
  });

  it('answers a repeated top-n by _timestamp from each file’s kept top rows, paging included', async () => {
    const cases: Array<[string, Partial<SearchQuery>]> = [
      [`SELECT * FROM "default" ORDER BY _timestamp DESC LIMIT 5`, {}],
      [
        `SELECT _timestamp, log FROM "default" WHERE match_all('error') ORDER BY _timestamp DESC LIMIT 3`,
        {},
      ],
      [`SELECT * FROM "default" ORDER BY _timestamp ASC LIMIT 4`, {}],
      // The logs page's second page: the request's `from` and `size`, no LIMIT in the SQL.
      [`SELECT * FROM "default" ORDER BY _timestamp DESC`, { from: 3, size: 4 }],
    ];
    for (const [sql, paging] of cases) {
      const before = answersOf().size;
      const first = await search(sql, paging);
      expect(first.hits.length).toBeGreaterThan(0);
      expect(answersOf().size).toBe(before);
      const filled = await search(sql, paging);
      expect(answersOf().size).toBeGreaterThan(before);
      const kept = await search(sql, paging);
      for (const again of [filled, kept]) {
        expect({ sql, hits: again.hits }).toEqual({ sql, hits: first.hits });
        expect(again.scan_records).toBe(first.scan_records);
      }
    }
  });

  it('keeps no rows of a top-n past a page of the logs view', async () => {
    const sql = `SELECT * FROM "default" ORDER BY _timestamp DESC LIMIT 5000`;
    const before = answersOf().size;
    for (let run = 0; run < 3; run++) await search(sql);
    expect(answersOf().size).toBe(before);
  });

  it('keeps nothing for an aggregate whose partial reads the clock', async () => {
    // Kept, the stored files' partial of `now()` would keep the first run's clock.
    const sql = `SELECT count(*) AS n FROM "default" WHERE epoch_us(now()) > _timestamp`;
    const first = await search(sql);
    const before = answersOf().size;
    for (let run = 0; run < 3; run++) expect(sorted(await search(sql))).toEqual(sorted(first));
    expect(answersOf().size).toBe(before);
  });

  it('keeps a partial per time range for files the range cuts', async () => {
    const sql = `SELECT count(*) AS n FROM "default" WHERE code = 200`;
    for (let round = 0; round < 2; round++) {
      for (const from of [0, 100, 333, 700, 980]) {
        const want = world.raw.filter((r, i) => i >= from && r.code === 200).length;
        const got = await search(sql, { startTime: ts(from) });
        expect(got.hits).toEqual([{ n: want }]);
      }
    }
  });

  it('does not answer from the partial of a file rewritten in place', async () => {
    const raw = world.raw.slice(0, 200);
    const records = flatK8sRecords(raw, { baseMicros: BASE, stepMicros: STEP });
    const schema = schemaOf(records);
    const small = await writeParquet(world.dir.path, 'small', schema, records.slice(0, 50));
    const file = await writeParquet(world.dir.path, 'rewritten', schema, records);
    const sources: StreamSource[] = [{ name: 'one', schema, parquetFiles: [file] }];
    const count = async (): Promise<unknown> =>
      (
        await world.engine.search(
          {
            sql: 'SELECT count(*) AS n FROM "one" WHERE code IS NOT NULL',
            startTime: ts(0),
            endTime: ts(1000),
          },
          sources,
        )
      ).hits;
    const coded = (rows: typeof records): number => rows.filter((r) => r.code !== undefined).length;
    for (let i = 0; i < 3; i++) expect(await count()).toEqual([{ n: coded(records) }]);
    await writeFile(file, await readFile(small));
    expect(await count()).toEqual([{ n: coded(records.slice(0, 50)) }]);
    expect(await count()).toEqual([{ n: coded(records.slice(0, 50)) }]);
  });

  it('does not answer from the combined partials once one of the files changed', async () => {
    const records = flatK8sRecords(world.raw, { baseMicros: BASE, stepMicros: STEP });
    const schema = schemaOf(records);
    const thirds = [0, 1, 2].map((i) => records.filter((_, j) => j % 3 === i));
    const files = await Promise.all(
      thirds.map((part, i) => writeParquet(world.dir.path, `combined-${i}`, schema, part)),
    );
    const sources: StreamSource[] = [{ name: 'thirds', schema, parquetFiles: files }];
    const byNamespace = async (): Promise<Map<string, number>> => {
      const response = await world.engine.search(
        {
          sql: `SELECT kubernetes_namespace_name AS k, count(*) AS n FROM "thirds" GROUP BY k`,
          startTime: ts(0),
          endTime: ts(world.raw.length),
        },
        sources,
      );
      return new Map(response.hits.map((h) => [String(h.k), Number(h.n)]));
    };
    const want = (rows: typeof records): Map<string, number> => {
      const counts = new Map<string, number>();
      for (const r of rows) {
        const k = String(r.kubernetes_namespace_name);
        counts.set(k, (counts.get(k) ?? 0) + 1);
      }
      return counts;
    };
    for (let i = 0; i < 4; i++) expect(await byNamespace()).toEqual(want(records));
    const shorter = thirds[1]!.slice(0, 40);
    const small = await writeParquet(world.dir.path, 'combined-small', schema, shorter);
    await writeFile(files[1]!, await readFile(small));
    const now = [...thirds[0]!, ...shorter, ...thirds[2]!];
    for (let i = 0; i < 4; i++) expect(await byNamespace()).toEqual(want(now));
  });

  it('answers from a remembered final only while the rows it read are the same', async () => {
    const sql = `SELECT code, count(*) AS n FROM "default" WHERE code >= 400 GROUP BY code`;
    const run = async (sources: StreamSource[]): Promise<Map<number, number>> => {
      const response = await world.engine.search(
        { sql, startTime: ts(0), endTime: ts(world.raw.length) },
        sources,
      );
      return new Map(response.hits.map((h) => [Number(h.code), Number(h.n)]));
    };
    const want = new Map<number, number>();
    for (const r of world.raw)
      if (typeof r.code === 'number' && r.code >= 400)
        want.set(r.code, (want.get(r.code) ?? 0) + 1);
    for (let i = 0; i < 5; i++) expect(await run(world.sources)).toEqual(want);
    // One more in-memory table, as an ingester's next write makes: 30 rows of code 599.
    const fresh = flatK8sRecords(world.raw.slice(0, 30), { baseMicros: BASE, stepMicros: STEP });
    const extra = tableOf(
      schemaOf(fresh),
      fresh.map((r) => ({ ...r, code: 599 })),
    );
    const [stream, ...others] = world.sources;
    const grown = [{ ...stream!, tables: [...(stream!.tables ?? []), extra] }, ...others];
    for (let i = 0; i < 5; i++) expect(await run(grown)).toEqual(new Map([...want, [599, 30]]));
    for (let i = 0; i < 2; i++) expect(await run(world.sources)).toEqual(want);
  });

  it('answers without kept partials when a file types a column unlike the schema', async () => {
    const records = flatK8sRecords(world.raw.slice(0, 300), { baseMicros: BASE, stepMicros: STEP });
    const schema = schemaOf(records);
    const asText = schema.map((f) => (f.name === 'code' ? { ...f, type: 'Utf8' as const } : f));
    const files = [
      await writeParquet(world.dir.path, 'typed-a', schema, records.slice(0, 150)),
      await writeParquet(
        world.dir.path,
        'typed-b',
        asText,
        records.slice(150).map((r) => (r.code === undefined ? r : { ...r, code: `${r.code}` })),
      ),
    ];
    const sources: StreamSource[] = [{ name: 'mixed', schema, parquetFiles: files }];
    const sql = `SELECT count(*) AS n FROM "mixed" WHERE code IS NOT NULL`;
    const before = answersOf().size;
    const want = records.filter((r) => r.code !== undefined).length;
    for (let i = 0; i < 3; i++) {
      const response = await world.engine.search(
        { sql, startTime: ts(0), endTime: ts(1000) },
        sources,
      );
      expect(response.hits).toEqual([{ n: want }]);
    }
    expect(answersOf().size).toBe(before);
  });

  it('takes the size the file list gave as a stored file size and version', async () => {
    const [file] = world.sources[1]!.parquetFiles;
    const sources: StreamSource[] = [
      {
        ...world.sources[1]!,
        parquetFiles: [file!],
        fileSizes: new Map([[file!, 3 * 1024 * 1024]]),
      },
    ];
    const response = await world.engine.search(
      { sql: 'SELECT count(*) AS n FROM "pods"', startTime: ts(0), endTime: ts(1000) },
      sources,
    );
    expect(response.scan_size).toBe(3);
  });

  it('drops partials past its budget, never one a search is reading', async () => {
    const answers = new FileAnswers(400, 2);
    (world.engine as unknown as { answers: FileAnswers }).answers = answers;
    const records = flatK8sRecords(world.raw, { baseMicros: BASE, stepMicros: STEP });
    const schema = schemaOf(records);
    const files: string[] = [];
    for (let i = 0; i < 12; i++) {
      const part = records.filter((_, j) => j % 12 === i);
      files.push(await writeParquet(world.dir.path, `many-${i}`, schema, part));
    }
    const sources: StreamSource[] = [{ name: 'many', schema, parquetFiles: files }];
    const want = new Map<string, number>();
    for (const r of records) {
      const k = String(r.kubernetes_namespace_name);
      want.set(k, (want.get(k) ?? 0) + 1);
    }
    const run = async (sql: string): Promise<Map<string, number>> => {
      const response = await world.engine.search(
        { sql, startTime: ts(0), endTime: ts(world.raw.length) },
        sources,
      );
      return new Map(response.hits.map((h) => [String(h.k), Number(h.n)]));
    };
    const sql = `SELECT kubernetes_namespace_name AS k, count(*) AS n FROM "many" GROUP BY k`;
    for (let i = 0; i < 5; i++) {
      const runs = await Promise.all([run(sql), run(sql), run(`${sql} ORDER BY k`)]);
      for (const got of runs) expect(got).toEqual(want);
    }
    expect(await run(sql)).toEqual(want);
    // Two kept, plus at most one search's fills (8) over the budget until the next search.
    expect(answers.size).toBeLessThanOrEqual(10);
    expect(answers.size).toBeGreaterThan(0);
  });
});
