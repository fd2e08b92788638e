import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDBInstance } from '@duckdb/node-api';
import type { DuckDBConnection } from '@duckdb/node-api';
import { makeTempDir } from '@o2/testing';
import type { TempDir } from '@o2/testing';
import type { FlatRecord } from '@o2/schema';
import { buildTokenIndex, tokenIndexInfo, tokenIndexMayMatch } from '@o2/token-index';
import { createSearchEngine, DEFAULT_FTS_FIELDS } from './index.js';
import type { StreamField } from './index.js';
import {
  flatK8sRecords,
  k8sLogSample,
  schemaOf,
  tableOf,
  writeParquet,
} from './bench/k8s-fixture.js';
import { quoteLiteral } from './sql-text.js';

const BASE = 1_700_000_000_000_000;
const FTS = ['log', 'message'];

interface IndexedFile {
  path: string;
  index: Uint8Array;
  gramsOnly: Uint8Array;
  records: FlatRecord[];
}

let dir: TempDir;
let instance: DuckDBInstance;
let db: DuckDBConnection;
let schema: StreamField[];
let files: IndexedFile[];

/** A small deterministic PRNG so a failure names a reproducible term. */
function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function ftsValues(records: readonly FlatRecord[]): string[] {
  return records.flatMap((r) => FTS.flatMap((f) => (typeof r[f] === 'string' ? [r[f]] : [])));
}

/** Which terms DuckDB itself finds in a file with match_all's own test. */
async function termsFoundIn(path: string, terms: readonly string[]): Promise<Set<number>> {
  const list = `[${terms.map(quoteLiteral).join(', ')}]`;
  const reader = await db.runAndReadAll(
    `WITH t AS (SELECT unnest(${list}) AS term, generate_subscripts(${list}, 1) AS id)
     SELECT DISTINCT id FROM read_parquet(${quoteLiteral(path)}) f, t
     WHERE contains(lower(f.log), lower(t.term)) OR contains(lower(f.message), lower(t.term))`,
  );
  return new Set(reader.getRows().map((row) => Number(row[0]) - 1));
}

beforeAll(async () => {
  dir = await makeTempDir('token-index');
  instance = await DuckDBInstance.create(':memory:', {
    autoinstall_known_extensions: 'false',
    autoload_known_extensions: 'false',
  });
  db = await instance.connect();
  const records = flatK8sRecords(k8sLogSample(), { baseMicros: BASE, stepMicros: 1000 });
  schema = schemaOf(records);
  // One file per namespace, so terms of one workload are absent from the others.
  const byNamespace = new Map<string, FlatRecord[]>();
  for (const r of records) {
    const ns = String(r.kubernetes_namespace_name);
    byNamespace.set(ns, [...(byNamespace.get(ns) ?? []), r]);
  }
  files = [];
  for (const [ns, part] of byNamespace) {
    const table = tableOf(schema, part);
    files.push({
      path: await writeParquet(dir.path, ns, schema, part),
      index: buildTokenIndex(table, FTS),
      gramsOnly: buildTokenIndex(table, FTS, { maxTokenListBytes: 0 }),
      records: part,
    });
  }
});

afterAll(async () => {
  db?.closeSync();
  instance?.closeSync();
  await dir?.remove();
});

describe('token index', () => {
  it('never rules out a file that holds a match (seeded property test over many terms)', async () => {
    const random = prng(42);
    const values = files.flatMap((f) => ftsValues(f.records));
    const terms = new Set<string>([
      'error',
      'rror',
      'ERROR',
      'Failed to watch',
      'watcher.go:87',
      'caller=watcher',
      '=',
      ' ',
      'a b',
      'v1.pod',
      '*v1.Pod:',
      '日本',
      'İd',
      'ıd',
      'zzqx',
      'post /api',
      '200',
      '.go',
      'go:',
      '"',
    ]);
    while (terms.size < 400) {
      const value = values[Math.floor(random() * values.length)]!;
      const start = Math.floor(random() * value.length);
      const length = 1 + Math.floor(random() * 24);
      let term = value.slice(start, start + length);
      if (random() < 0.3) term = term.toUpperCase();
      if (random() < 0.2) term = term.replace(/[aeiou]/, 'q');
      if (term !== '' && !term.includes('\0')) terms.add(term);
    }
    const list = [...terms];
    let pruned = 0;
    for (const file of files) {
      const found = await termsFoundIn(file.path, list);
      list.forEach((term, i) => {
        const mayMatch = tokenIndexMayMatch(file.index, term);
        const gramsMayMatch = tokenIndexMayMatch(file.gramsOnly, term);
        if (found.has(i)) {
          expect({ term, file: file.path, mayMatch, gramsMayMatch }).toEqual({
            term,
            file: file.path,
            mayMatch: true,
            gramsMayMatch: true,
          });
        }
        if (!mayMatch) pruned++;
        // The token list only ever sharpens the n-gram answer.
        if (gramsMayMatch === false) expect(mayMatch).toBe(false);
      });
    }
    expect(pruned).toBeGreaterThan(list.length);
  });

  it('rules out a file without the term and keeps the one with it', () => {
    const withWatcher = files.filter((f) =>
      ftsValues(f.records).some((v) => v.includes('watcher.go:87')),
    );
    const without = files.filter((f) => !withWatcher.includes(f));
    expect(withWatcher.length).toBeGreaterThan(0);
    expect(without.length).toBeGreaterThan(0);
    for (const f of withWatcher) expect(tokenIndexMayMatch(f.index, 'watcher.go:87')).toBe(true);
    for (const f of without) expect(tokenIndexMayMatch(f.index, 'watcher.go:87')).toBe(false);
  });

  it('does not prune when the query searches a field the index does not cover', () => {
    const file = files.find((f) => !tokenIndexMayMatch(f.index, 'zzqx'))!;
    expect(tokenIndexMayMatch(file.index, 'zzqx', FTS)).toBe(false);
    expect(tokenIndexMayMatch(file.index, 'zzqx', [...FTS, 'kubernetes_pod_name'])).toBe(true);
    expect(tokenIndexInfo(file.index).fields).toEqual(FTS);
  });

  it('leaves non-text full-text fields uncovered and an empty term unpruned', () => {
    const table = tableOf(schema, files[0]!.records);
    const index = buildTokenIndex(table, ['log', 'code', 'json']);
    expect(tokenIndexInfo(index).fields).toEqual(['log', 'json']);
    expect(tokenIndexMayMatch(index, '')).toBe(true);
    expect(tokenIndexMayMatch(index, '--')).toBe(true);
    expect(() => tokenIndexMayMatch(new Uint8Array([1, 2, 3]), 'x')).toThrow(/token index/);
  });

  it('lets a search skip pruned files and still return the same rows', async () => {
    const engine = await createSearchEngine({
      tempDir: `${dir.path}/engine`,
      allowedDirectories: [dir.path],
    });
    try {
      const sql = `SELECT * FROM "default" WHERE match_all('watcher.go:87') AND level IS NULL`;
      const analysis = await engine.analyze(sql);
      const terms = analysis.fullTextTerms[0]!.terms;
      expect(terms).toEqual(['watcher.go:87']);
      const request = { sql, startTime: BASE, endTime: BASE + 10 ** 10, size: -999 };
      const source = (paths: string[]) => [{ name: 'default', schema, parquetFiles: paths }];
      const all = await engine.search(request, source(files.map((f) => f.path)));
      const kept = files.filter((f) =>
        terms.every((t) =>
          tokenIndexMayMatch(
            f.index,
            t,
            DEFAULT_FTS_FIELDS.filter((n) => FTS.includes(n)),
          ),
        ),
      );
      expect(kept.length).toBeLessThan(files.length);
      const pruned = await engine.search(request, source(kept.map((f) => f.path)));
      expect(pruned.hits).toEqual(all.hits);
      expect(all.hits.length).toBeGreaterThan(0);
    } finally {
      await engine.close();
    }
  });

  it('analyze offers terms only where every read of the stream requires them', async () => {
    const engine = await createSearchEngine({ tempDir: `${dir.path}/engine2` });
    try {
      const terms = async (sql: string): Promise<string[]> =>
        (await engine.analyze(sql)).fullTextTerms.flatMap((t) => t.terms);
      expect(await terms(`SELECT * FROM s WHERE match_all('a') AND match_all_raw('B*')`)).toEqual([
        'a',
        'B',
      ]);
      expect(await terms(`SELECT * FROM s WHERE match_all('a') OR code = 1`)).toEqual([]);
      expect(await terms(`SELECT * FROM s WHERE NOT match_all('a')`)).toEqual([]);
      expect(
        await terms(
          `SELECT * FROM s WHERE match_all('a') UNION ALL SELECT * FROM s WHERE code = 1`,
        ),
      ).toEqual([]);
      expect(
        await terms(
          `SELECT count(*) FROM (SELECT * FROM s WHERE match_all('re:x') AND match_all('y'))`,
        ),
      ).toEqual(['x', 'y']);
      expect(await terms(`SELECT * FROM s a JOIN s b ON a.x = b.x WHERE match_all('a')`)).toEqual(
        [],
      );
      const traceIds = async (sql: string): Promise<string[][]> =>
        (await engine.analyze(sql)).fullTextTerms.flatMap((t) => t.traceIds);
      expect(
        await traceIds(`SELECT * FROM s WHERE trace_id = 'ab' AND 'cd' = s.trace_id AND x = 'e'`),
      ).toEqual([['ab'], ['cd']]);
      expect(await traceIds(`SELECT * FROM s WHERE trace_id IN ('ab', 'cd')`)).toEqual([
        ['ab', 'cd'],
      ]);
      expect(await traceIds(`SELECT * FROM s WHERE trace_id IN ('ab', code)`)).toEqual([]);
      expect(await traceIds(`SELECT * FROM s WHERE trace_id NOT IN ('ab')`)).toEqual([]);
      expect(await traceIds(`SELECT * FROM s WHERE trace_id = 'ab' OR code = 1`)).toEqual([]);
      expect(await traceIds(`SELECT * FROM s WHERE trace_id <> 'ab'`)).toEqual([]);
      expect(
        await traceIds(`SELECT * FROM s WHERE trace_id = 'ab' UNION ALL SELECT * FROM s`),
      ).toEqual([]);
      expect((await engine.analyze(`SELECT * FROM logs.s, "t"`)).streams).toEqual([
        { name: 's', type: 'logs' },
        { name: 't' },
      ]);
    } finally {
      await engine.close();
    }
  });
});
