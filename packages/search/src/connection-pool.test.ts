import { DuckDBInstance } from '@duckdb/node-api';
import { afterEach, describe, expect, it } from 'vitest';
import { ConnectionPool } from './connection-pool.js';
import { TextMemo } from './text-memo.js';

const instances: DuckDBInstance[] = [];
afterEach(() => instances.splice(0).forEach((i) => i.closeSync()));

async function pool(): Promise<ConnectionPool> {
  const instance = await DuckDBInstance.create(':memory:');
  instances.push(instance);
  return new ConnectionPool(instance);
}

const tempViews = async (p: ConnectionPool): Promise<unknown[]> =>
  p.use(async (conn) =>
    (
      await conn.runAndReadAll(
        'SELECT view_name FROM duckdb_views() WHERE temporary AND NOT internal',
      )
    ).getRows(),
  );

/** Waits for the background view drops of a release. */
const settle = () => new Promise((r) => setTimeout(r, 50));

describe('ConnectionPool', () => {
  it('hands a reused connection back without the temp views of its last search', async () => {
    const p = await pool();
    let first: unknown;
    await p.use(
      async (conn) => {
        first = conn;
        await conn.run('CREATE TEMP VIEW "__o2_stream_0" AS SELECT 1 AS x');
      },
      ['__o2_stream_0'],
    );
    await settle();
    let second: unknown;
    const rows = await p.use(async (conn) => {
      second = conn;
      return (
        await conn.runAndReadAll(
          'SELECT view_name FROM duckdb_views() WHERE temporary AND NOT internal',
        )
      ).getRows();
    });
    expect(second).toBe(first);
    expect(rows).toEqual([]);
    // The same view name can be made again on it.
    await p.use(
      (conn) => conn.run('CREATE TEMP VIEW "__o2_stream_0" AS SELECT 2 AS x'),
      ['__o2_stream_0'],
    );
  });

  it('closes a connection whose work failed instead of reusing it', async () => {
    const p = await pool();
    let failed: unknown;
    await expect(
      p.use(async (conn) => {
        failed = conn;
        await conn.run('CREATE TEMP VIEW "v" AS SELECT 1 AS x');
        await conn.run('SELECT * FROM no_such_table');
      }),
    ).rejects.toThrow();
    let next: unknown;
    await p.use((conn) => {
      next = conn;
      return Promise.resolve();
    });
    expect(next).not.toBe(failed);
    expect(await tempViews(p)).toEqual([]);
  });

  it('refuses work once closed', async () => {
    const p = await pool();
    await tempViews(p);
    p.close();
    await expect(tempViews(p)).rejects.toThrow(/closed/);
  });
});

describe('TextMemo', () => {
  it('drops the least recently used entry past its entry limit', () => {
    const memo = new TextMemo<number>(2, 1000);
    memo.set('a', 1);
    memo.set('b', 2);
    expect(memo.get('a')).toBe(1); // `b` is now the oldest
    memo.set('c', 3);
    expect([memo.get('a'), memo.get('b'), memo.get('c')]).toEqual([1, undefined, 3]);
  });

  it('keeps its characters under budget and never keeps an oversized entry', () => {
    const memo = new TextMemo<string>(100, 100);
    // Each weighs 2 (key) + 18 (value): five fit in 100 characters, the sixth evicts `k1`.
    for (let i = 1; i <= 6; i++) memo.set(`k${i}`, 'x'.repeat(18), 18);
    expect(memo.size).toBe(5);
    expect(memo.get('k1')).toBeUndefined();
    expect(memo.get('k6')).toBe('x'.repeat(18));
    // More than a quarter of the budget alone: not kept, nothing evicted for it.
    memo.set('big', 'w'.repeat(30), 30);
    expect(memo.get('big')).toBeUndefined();
    expect(memo.size).toBe(5);
  });
});
