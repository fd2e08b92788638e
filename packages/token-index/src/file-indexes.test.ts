import { readdirSync, readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { ColumnarBatchBuilder, encodeParquet, readParquet } from '@o2/parquet';
import { buildTraceIdSet, traceIdSetMayContain } from '@o2/traces';
import { DEFAULT_FTS_FIELDS } from '@o2/domain';
import {
  buildFileIndexes,
  buildTokenIndex,
  EVERY_FIELD_LISTED,
  FileIndexPool,
  isPackedTokenIndex,
  tokenIndexInfo,
  TokenIndexBuilder,
  tokenIndexRowRanges,
  unpackTokenIndex,
} from './index.js';

const id = (n: number) => n.toString(16).padStart(32, '0');
const logs = { type: 'logs', settings: {}, invertedIndex: true };

/** A data file of `rows` rows over 1000-row groups: two default full-text fields and more. */
function dataFile(rows: number, traceId: (i: number) => string | undefined = id): Uint8Array {
  const builder = new ColumnarBatchBuilder([
    { name: 'log', type: 'Utf8' },
    { name: 'message', type: 'Utf8' },
    { name: 'custom', type: 'Utf8' },
    { name: 'trace_id', type: 'Utf8' },
    { name: 'code', type: 'Int64' },
  ]);
  for (let i = 0; i < rows; i++) {
    builder.append({
      _timestamp: 1_700_000_000_000_000 + i,
      log:
        i === 4321 ? 'GET /rare-zebra ok' : `GET /api/v${i % 7} ${i % 13 === 0 ? 'error' : 'ok'}`,
      message: i % 3 === 0 ? null : `pod-${i % 50} restarted`,
      custom: `tenant-${i % 11}`,
      trace_id: traceId(i),
      code: i,
    });
  }
  return encodeParquet(builder.finish(), { rowGroupSize: 1000 }).bytes;
}

describe('the side indexes of a data file', () => {
  const pool = new FileIndexPool({ niceness: 5 });
  afterAll(() => pool.close());

  it('builds in a worker exactly the bytes the calling thread builds', async () => {
    const body = dataFile(5_000);
    const pooled = await pool.build(body, logs);
    expect(pooled).toEqual(await buildFileIndexes(body, logs));
    // ...which are the format's own, per row group, over every full-text field asked for: the
    // ones the file lacks are listed as covered (all NULL here), and so is the marker saying so.
    const table = await readParquet(body, { columns: ['log', 'message'] });
    const groups = [1000, 1000, 1000, 1000, 1000];
    const asked = [...DEFAULT_FTS_FIELDS, EVERY_FIELD_LISTED];
    // Stored packed: the index itself is inside, and the querier's reads take either form.
    const built = buildTokenIndex(table, asked, { rowGroups: groups });
    expect(isPackedTokenIndex(pooled.tokens!)).toBe(true);
    expect(pooled.tokens!.length).toBeLessThan(built.length / 2);
    expect(await unpackTokenIndex(pooled.tokens!)).toEqual(built);
    expect(tokenIndexInfo(pooled.tokens!)).toMatchObject({ fields: asked, rowGroups: 5 });
    // A rare term reads the block of 4 rows (1000 / 255, rounded up) of the one holding it.
    const ranges = tokenIndexRowRanges(pooled.tokens!, ['rare-zebra'], ['log']);
    expect(ranges?.map(([start, end]) => end - start)).toEqual([4]);
    expect(pooled.traceIds).toBeUndefined(); // a logs stream
  });

  it('indexes a file group by group as it indexes the whole table, and refuses groups the file does not have', async () => {
    const table = await readParquet(dataFile(2_500), { columns: ['log', 'message'] });
    const rowGroups = [1000, 1000, 500];
    const builder = new TokenIndexBuilder(DEFAULT_FTS_FIELDS, { rowGroups });
    for (const [start, end] of [
      [0, 1000],
      [1000, 2000],
      [2000, 2500],
    ] as const)
      builder.add(table.slice(start, end));
    expect(builder.finish()).toEqual(buildTokenIndex(table, DEFAULT_FTS_FIELDS, { rowGroups }));
    expect(() =>
      new TokenIndexBuilder(DEFAULT_FTS_FIELDS, { rowGroups }).add(table.slice(0, 999)),
    ).toThrow(/row group 0 holds 999 rows, the file says 1000/);
    const short = new TokenIndexBuilder(DEFAULT_FTS_FIELDS, { rowGroups });
    expect(() => short.add(table.slice(0, 1000)).finish()).toThrow(/1 row groups indexed/);
  });

  it("leaves the caller's bytes intact, a Buffer view into a larger buffer too", async () => {
    const file = dataFile(1_000);
    const pooled = Buffer.alloc(file.byteLength + 64);
    pooled.set(file, 32);
    const body = pooled.subarray(32, 32 + file.byteLength);
    const indexes = await pool.build(body, logs);
    expect(indexes).toEqual(await buildFileIndexes(file, logs));
    expect(Buffer.compare(body, file)).toBe(0);
    expect(pooled.byteLength).toBe(file.byteLength + 64);
  });

  it("adds the stream's full_text_search_keys and honours a disabled inverted index", async () => {
    const body = dataFile(1_000);
    const withCustom = await pool.build(body, {
      ...logs,
      settings: { full_text_search_keys: ['custom', 'code', 7] },
    });
    // `code` is a number in this file: never tokenised, so not covered (a reader that asks for
    // it, e.g. once the field has widened to text, reads the file).
    expect(tokenIndexInfo(withCustom.tokens!).fields).toEqual([
      ...DEFAULT_FTS_FIELDS,
      'custom',
      EVERY_FIELD_LISTED,
    ]);
    expect(await pool.build(body, { ...logs, invertedIndex: false })).toEqual({});
  });

  it('gives a traces file the set of exactly its trace ids, read from the column buffers', async () => {
    const ids = (i: number) => (i % 97 === 0 ? undefined : id(i >> 1));
    const body = dataFile(2_500, ids);
    const indexes = await pool.build(body, { type: 'traces', settings: {}, invertedIndex: false });
    expect(indexes.tokens).toBeUndefined();
    expect(indexes.traceIds).toEqual(
      buildTraceIdSet(Array.from({ length: 2_500 }, (_, i) => ids(i))),
    );
    expect(traceIdSetMayContain(indexes.traceIds!, id(1_000))).toBe(true);
    expect(traceIdSetMayContain(indexes.traceIds!, id(2_000))).toBe(false);
    // A non-hex or non-ASCII id makes the file never skippable.
    const odd = dataFile(2, (i) => (i === 0 ? id(1) : 'ünïcödé'.padEnd(32, 'a')));
    const oddSet = (await pool.build(odd, { type: 'traces', settings: {}, invertedIndex: true }))
      .traceIds!;
    expect(traceIdSetMayContain(oddSet, id(2))).toBe(true);
  });

  it('fails a job on a corrupt file and goes on with the next one', async () => {
    await expect(pool.build(new Uint8Array([1, 2, 3]), logs)).rejects.toThrow(/file indexes/);
    expect((await pool.build(dataFile(10), logs)).tokens).toBeDefined();
  });

  it.runIf(process.platform === 'linux')('runs its worker at the nice value asked', async () => {
    const niceOf = (tid: string): number => {
      const stat = readFileSync(`/proc/${process.pid}/task/${tid}/stat`, 'utf8');
      return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
    };
    const before = new Set(readdirSync(`/proc/${process.pid}/task`));
    const background = new FileIndexPool({ niceness: 7 });
    try {
      await background.build(dataFile(10), logs);
      const added = readdirSync(`/proc/${process.pid}/task`).filter((tid) => !before.has(tid));
      expect(added.map(niceOf)).toContain(7);
    } finally {
      await background.close();
    }
  });

  it('ends idle workers, large wasm memories sooner, and starts one again for the next job', async () => {
    const until = async (done: () => boolean): Promise<void> => {
      for (let waited = 0; !done(); waited += 10) {
        if (waited > 5000) throw new Error('pool kept its idle worker');
        await new Promise((r) => setTimeout(r, 10));
      }
    };
    // Every wasm memory counts as large here: the 60 s idle limit must not be the one that ends it.
    const large = new FileIndexPool({ largeWasmMemoryBytes: 1, largeIdleMs: 20 });
    const small = new FileIndexPool({ idleMs: 20 });
    const kept = new FileIndexPool();
    try {
      for (const p of [large, small, kept]) await p.build(dataFile(10), logs);
      await until(() => large.stats.workers === 0 && small.stats.workers === 0);
      expect(large.stats).toEqual({ workers: 0, idleEnded: 1 });
      expect(small.stats).toEqual({ workers: 0, idleEnded: 1 });
      expect(kept.stats).toEqual({ workers: 1, idleEnded: 0 });
      const body = dataFile(50);
      expect(await small.build(body, logs)).toEqual(await buildFileIndexes(body, logs));
      expect(small.stats.workers).toBe(1);
    } finally {
      await Promise.all([large.close(), small.close(), kept.close()]);
    }
  });

  it('refuses work once closed', async () => {
    const closed = new FileIndexPool();
    await closed.close();
    await expect(closed.build(dataFile(10), logs)).rejects.toThrow(/closed/);
  });
});
