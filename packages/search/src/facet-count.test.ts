import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir } from '@o2/testing';
import type { TempDir } from '@o2/testing';
import { buildFileIndexes, decodeFileFacets } from '@o2/token-index';
import { tableOf, writeParquet } from './bench/k8s-fixture.js';
import { createSearchEngine } from './index.js';
import type { FileFacets, Hit, SearchEngine, StreamField, StreamSource } from './index.js';

const MINUTE = 60_000_000;
const BASE = 1_700_000_000_000_000 - (1_700_000_000_000_000 % MINUTE) + 17_000_000;
const STEP = 7_000_000; // 7 s: files and row groups start mid-minute
const ts = (i: number): number => BASE + i * STEP;
const ROWS = 1_000;

const schema: StreamField[] = [
  { name: '_timestamp', type: 'Int64' },
  { name: 'ns', type: 'Utf8' },
  { name: 'code', type: 'Int64' },
  { name: 'msg', type: 'Utf8' },
];
const record = (i: number) => ({
  _timestamp: ts(i),
  ...(i % 9 === 0 ? {} : { ns: `ns-${(i * 7) % 5}` }), // missing: NULL
  code: [200, 200, 404, 500, 201][i % 5]!,
  msg: `request ${i} done`,
});

let dir: TempDir;
let engine: SearchEngine;
let plain: StreamSource;
let faceted: StreamSource;
let loads = 0;

// Files [0,200) [200,450) (row groups of 40) [450,700) [700,900) (no facets), the memtable
// [900,1000): ranges cover some files whole and cut others.
beforeAll(async () => {
  dir = await makeTempDir('facet-count');
  const records = Array.from({ length: ROWS }, (_, i) => record(i));
  const cuts: Array<[string, number, number, number | undefined]> = [
    ['a', 0, 200, undefined],
    ['b', 200, 450, 40],
    ['c', 450, 700, undefined],
    ['d', 700, 900, undefined],
  ];
  const files: string[] = [];
  const facets = new Map<string, FileFacets>();
  for (const [name, from, to, groups] of cuts) {
    const file = await writeParquet(dir.path, name, schema, records.slice(from, to), groups);
    files.push(file);
    if (name === 'd') continue;
    const built = await buildFileIndexes(await readFile(file), {
      type: 'logs',
      settings: {},
      invertedIndex: false,
    });
    facets.set(file, decodeFileFacets(built.facets!)!);
  }
  engine = await createSearchEngine({
    tempDir: `${dir.path}/tmp`,
    allowedDirectories: [dir.path],
    threads: 2,
  });
  const tables = [tableOf(schema, records.slice(900))];
  plain = { name: 's', schema, parquetFiles: files, tables };
  faceted = {
    ...plain,
    facets: (file) => {
      loads++;
      return Promise.resolve(facets.get(file));
    },
  };
});

afterAll(async () => {
  await engine?.close();
  await dir?.remove();
});

async function run(source: StreamSource, sql: string, from: number, to: number): Promise<Hit[]> {
  const response = await engine.search({ sql, startTime: ts(from), endTime: ts(to) }, [source]);
  return response.hits;
}

const RANGES: Array<[number, number]> = [
  [0, 1000],
  [0, 450],
  [100, 800],
  [200, 700],
  [450, 1000],
  [3000, 4000],
];

/** Queries whose order is not fixed by their SQL are compared as sets of rows. */
const sorted = (hits: Hit[]): string[] => hits.map((h) => JSON.stringify(h)).sort();

describe('counts from file facets', () => {
  const shapes: Array<[string, boolean]> = [
    ['SELECT ns AS k, count(*) AS n FROM s GROUP BY k ORDER BY k', true],
    ['SELECT ns, count(*) FROM s GROUP BY ns', false],
    ['SELECT code, count(*) AS n FROM s GROUP BY code ORDER BY n DESC, code LIMIT 2', true],
    ['SELECT count(*) AS n FROM s WHERE code = 200', true],
    ['SELECT count(*) AS n FROM s WHERE ns IS NULL', true],
    ['SELECT count(*) AS n FROM s WHERE code IN (404, 500) AND code <> 500', true],
    [`SELECT count(*) AS n FROM s WHERE _timestamp >= ${ts(300)} AND ns = 'ns-2'`, true],
    [
      "SELECT histogram(_timestamp, '1 minute') AS k, count(*) AS n FROM s GROUP BY k ORDER BY k",
      true,
    ],
    [
      "SELECT histogram(_timestamp, '5 minutes') AS k, count(*) AS n FROM s GROUP BY k ORDER BY k",
      true,
    ],
    [
      "SELECT histogram(_timestamp, '30 seconds') AS k, count(*) AS n FROM s GROUP BY k ORDER BY k",
      true,
    ],
    ['SELECT ns, count(*) AS n FROM s WHERE code = 200 GROUP BY ns ORDER BY ns', true],
    ['SELECT ns, count(*) AS n, max(code) AS m FROM s GROUP BY ns ORDER BY ns', true],
  ];
  for (const [sql, ordered] of shapes) {
    it(`answers as DuckDB does: ${sql}`, async () => {
      for (const [from, to] of RANGES) {
        const expected = await run(plain, sql, from, to);
        const actual = await run(faceted, sql, from, to);
        const label = `[${from},${to})`;
        if (ordered) expect(actual, label).toEqual(expected);
        else expect(sorted(actual), label).toEqual(sorted(expected));
      }
    });
  }

  it('reads the facets of the files a range covers whole, for group-by and histogram counts', async () => {
    loads = 0;
    await run(faceted, 'SELECT ns, count(*) AS n FROM s GROUP BY ns', 0, 1000);
    expect(loads).toBe(4); // a, b, c with facets, d without
    loads = 0;
    await run(
      faceted,
      "SELECT histogram(_timestamp, '1 minute') AS k, count(*) FROM s GROUP BY k",
      0,
      1000,
    );
    expect(loads).toBe(4);
    loads = 0;
    // Not a whole-minute histogram, another aggregate, a bare count: no facets read.
    await run(
      faceted,
      "SELECT histogram(_timestamp, '30 seconds') AS k, count(*) FROM s GROUP BY k",
      0,
      1000,
    );
    await run(faceted, 'SELECT ns, count(*) AS n, max(code) AS m FROM s GROUP BY ns', 0, 1000);
    await run(faceted, 'SELECT count(*) AS n FROM s', 0, 1000);
    expect(loads).toBe(0);
  });
});
