import { DuckDBInstance } from '@duckdb/node-api';
import { describe, expect, it } from 'vitest';
import { parseSelect } from './sql-ast.js';
import { timeTopNOf } from './time-top-n.js';
import {
  ids,
  indexOf,
  search,
  ts,
  useK8sSearchWorld,
  world,
} from './test-support/k8s-search-world.js';

useK8sSearchWorld();

const range = (from: number, to: number): number[] =>
  Array.from({ length: to - from }, (_, i) => from + i);

describe('top-n by _timestamp reads only the newest (oldest) rows', () => {
  it('answers the newest n rows, whole, from files and in-memory tables alike', async () => {
    const n = world.raw.length;
    const result = await search('SELECT * FROM "default" ORDER BY _timestamp DESC LIMIT 25');
    expect(result.hits.map(indexOf)).toEqual(range(n - 25, n).reverse());
    for (const hit of result.hits) {
      const raw = world.raw[indexOf(hit)]!;
      expect([hit.log ?? null, hit.message ?? null, hit.code ?? null]).toEqual([
        raw.log ?? null,
        raw.message ?? null,
        raw.code ?? null,
      ]);
    }
    // O2's default order (newest first) with `from` and `size` paging.
    const page = await search('SELECT * FROM "default"', { from: 10, size: 20 });
    expect(page.hits.map(indexOf)).toEqual(range(n - 30, n - 10).reverse());
    const oldest = await search(
      'SELECT _timestamp, log FROM "default" ORDER BY _timestamp LIMIT 7',
    );
    expect(oldest.hits.map(indexOf)).toEqual(range(0, 7));
  });

  it('keeps every row when fewer match than the limit, and inside a narrower time range', async () => {
    const all = await search('SELECT * FROM "default" ORDER BY _timestamp DESC LIMIT 5000');
    expect(ids(all)).toEqual(range(0, world.raw.length));
    const inner = await search('SELECT * FROM "default" ORDER BY _timestamp DESC LIMIT 3', {
      startTime: ts(100),
      endTime: ts(200),
    });
    expect(inner.hits.map(indexOf)).toEqual([199, 198, 197]);
  });

  it('answers the same as the unnarrowed query (asking for total hits turns narrowing off)', async () => {
    for (const sql of [
      'SELECT * FROM "default" ORDER BY _timestamp DESC LIMIT 40 OFFSET 13',
      'SELECT code AS _timestamp, log FROM "default" ORDER BY _timestamp DESC LIMIT 9',
      'SELECT * REPLACE (took AS _timestamp) FROM "default" ORDER BY _timestamp DESC LIMIT 9',
      'SELECT _timestamp, code FROM "default" ORDER BY _timestamp ASC LIMIT 11',
      `SELECT * FROM "default" WHERE match_all('error') ORDER BY _timestamp DESC LIMIT 7`,
      `SELECT * FROM "default" WHERE match_all('error') ORDER BY _timestamp DESC LIMIT 5000`,
      'SELECT * FROM "default" WHERE code >= 400 ORDER BY _timestamp DESC LIMIT 6 OFFSET 4',
      'SELECT code AS c, log FROM "default" WHERE c = 200 ORDER BY _timestamp LIMIT 8',
      `SELECT * FROM "default" WHERE log = 'no such line' ORDER BY _timestamp DESC LIMIT 3`,
      'SELECT *, _timestamp FROM "default" WHERE code = 200 ORDER BY 1 DESC LIMIT 3',
    ]) {
      const narrowed = await search(sql);
      const full = await search(sql, { trackTotalHits: true });
      expect(narrowed.hits, sql).toEqual(full.hits);
    }
  });

  it('a filtered top-n holds the newest matching rows', async () => {
    const errors = world.raw.flatMap((r, i) =>
      [r.log, r.message].some((t) => typeof t === 'string' && t.toLowerCase().includes('error'))
        ? [i]
        : [],
    );
    expect(errors.length).toBeGreaterThan(12);
    const result = await search(
      `SELECT * FROM "default" WHERE match_all('error') ORDER BY _timestamp DESC LIMIT 12`,
    );
    expect(result.hits.map(indexOf)).toEqual(errors.slice(-12).reverse());
  });
});

describe('timeTopNOf', () => {
  const shape = async (sql: string) => {
    const instance = await DuckDBInstance.create(':memory:');
    const conn = await instance.connect();
    try {
      return timeTopNOf(await parseSelect(conn, sql), new Set(['s']));
    } finally {
      conn.closeSync();
      instance.closeSync();
    }
  };

  it('recognises a plain top-n by _timestamp and nothing else', async () => {
    expect(await shape('SELECT * FROM s ORDER BY _timestamp DESC LIMIT 100')).toEqual({
      view: 's',
      descending: true,
      rows: 100,
    });
    expect(await shape('SELECT a, _timestamp FROM s ORDER BY _timestamp LIMIT 5 OFFSET 5')).toEqual(
      { view: 's', descending: false, rows: 10 },
    );
    const filtered = await shape('SELECT * FROM s WHERE a = 1 ORDER BY _timestamp DESC LIMIT 10');
    expect(filtered?.rows).toBe(10);
    expect(filtered?.probe).toBeDefined();
    for (const other of [
      'SELECT * FROM s WHERE a IN (SELECT a FROM s) ORDER BY _timestamp DESC LIMIT 10',
      'SELECT count(*) AS n FROM s ORDER BY _timestamp DESC LIMIT 10',
      'SELECT a, row_number() OVER () AS r FROM s ORDER BY _timestamp DESC LIMIT 10',
      'SELECT a AS _timestamp FROM s ORDER BY _timestamp DESC LIMIT 10',
      'SELECT * FROM s ORDER BY _timestamp DESC',
      'SELECT * FROM s ORDER BY a DESC LIMIT 10',
      'SELECT * FROM s ORDER BY _timestamp DESC, a LIMIT 10',
      'SELECT DISTINCT a, _timestamp FROM s ORDER BY _timestamp DESC LIMIT 10',
      'SELECT * FROM t ORDER BY _timestamp DESC LIMIT 10',
      'WITH c AS (SELECT 1) SELECT * FROM s ORDER BY _timestamp DESC LIMIT 10',
      'SELECT * FROM s ORDER BY _timestamp DESC LIMIT (SELECT 3)',
    ]) {
      expect(await shape(other), other).toBeUndefined();
    }
  });
});
