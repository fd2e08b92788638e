import { readdirSync, readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import type { Table } from 'apache-arrow';
import { ColumnarBatchBuilder } from './columnar-batch-builder.js';
import { encodeParquet, encodeParquetGroups } from './encode-parquet.js';
import { ParquetEncoderPool } from './parquet-encoder-pool.js';
import { readParquet, readParquetMetadata } from './read-parquet.js';
import { expectSameFile } from './test-support/same-parquet-file.js';

function sampleTable(rows: number, seed: number): Table {
  const builder = new ColumnarBatchBuilder([
    { name: 'msg', type: 'Utf8' },
    { name: 'n', type: 'Int64' },
    { name: 'x', type: 'Float64' },
  ]);
  for (let i = 0; i < rows; i++) {
    builder.append({
      _timestamp: 1_700_000_000_000_000 + ((i * 7919 + seed) % rows),
      msg: `m${seed}-${i % 97}`,
      n: i,
      x: i / 3,
    });
  }
  return builder.finish();
}

describe('ParquetEncoderPool', () => {
  const pools: ParquetEncoderPool[] = [];
  afterAll(async () => {
    await Promise.all(pools.map((p) => p.close()));
  });

  it('produces the same bytes and stats as direct encoding', async () => {
    const pool = new ParquetEncoderPool();
    pools.push(pool);
    const table = sampleTable(5000, 1);
    const direct = encodeParquet(table, { metadata: { k: 'v' } });
    const pooled = await pool.encode(table, { metadata: { k: 'v' } });
    await expectSameFile(pooled, direct);
    const read = await readParquet(pooled.bytes);
    expect(read.numRows).toBe(5000);
    expect(pool.stats).toMatchObject({ workers: 1, busy: 0, queued: 0 });
  });

  it('queues concurrent jobs over its workers and recycles workers past the byte limit', async () => {
    const pool = new ParquetEncoderPool({ size: 2, recycleAfterBytes: 1 });
    pools.push(pool);
    const tables = [1, 2, 3, 4, 5].map((seed) => sampleTable(2000, seed));
    const results = await Promise.all(tables.map((t) => pool.encode(t)));
    for (const [i, result] of results.entries())
      await expectSameFile(result, encodeParquet(tables[i]!));
    // Every job exceeded the 1-byte budget, so every worker was replaced after its job.
    expect(pool.stats.recycled).toBe(5);
    expect(pool.stats.workers).toBe(0);
  });

  it('ends idle workers, large wasm memories sooner, and starts one again for the next job', async () => {
    const until = async (done: () => boolean): Promise<void> => {
      for (let waited = 0; !done(); waited += 10) {
        if (waited > 5000) throw new Error('pool kept its idle worker');
        await new Promise((r) => setTimeout(r, 10));
      }
    };
    // Every wasm memory counts as large here: the 60 s idle limit must not be the one that ends it.
    const large = new ParquetEncoderPool({ largeWasmMemoryBytes: 1, largeIdleMs: 20 });
    const small = new ParquetEncoderPool({ idleMs: 20 });
    const kept = new ParquetEncoderPool();
    pools.push(large, small, kept);
    for (const pool of [large, small, kept]) await pool.encode(sampleTable(100, 1));
    expect(kept.stats.retainedBufferBytes).toBeGreaterThan(0);
    await until(() => large.stats.workers === 0 && small.stats.workers === 0);
    expect(large.stats).toMatchObject({ idleEnded: 1, recycled: 0, retainedBufferBytes: 0 });
    expect(small.stats).toMatchObject({ idleEnded: 1, recycled: 0 });
    expect(kept.stats).toMatchObject({ workers: 1, idleEnded: 0 });
    const again = await small.encode(sampleTable(100, 2));
    await expectSameFile(again, encodeParquet(sampleTable(100, 2)));
    expect(small.stats.workers).toBe(1);
  });

  it('writes row groups pulled one at a time as encodeParquetGroups does; a bad feed fails its job alone', async () => {
    const pool = new ParquetEncoderPool();
    pools.push(pool);
    const builder = new ColumnarBatchBuilder([{ name: 'msg', type: 'Utf8' }]);
    for (let i = 0; i < 2500; i++)
      builder.append({
        _timestamp: 1_700_000_000_000_000 + ((i * 7919) % 2500),
        msg: `m${i % 13}`,
      });
    const groups = builder.fileGroups(1000);
    const { min, max } = groups.timestampRange(0, groups.count);
    const stats = { minTs: min, maxTs: max, records: 2500, originalSize: builder.byteSize };
    const pulled: number[] = [];
    function* feed(): Generator<Table> {
      for (let i = 0; i < groups.count; i++) {
        pulled.push(i);
        yield groups.copy(i);
      }
    }
    const options = { rowGroupSize: 1000 };
    const pooled = await pool.encodeGroups(feed(), stats, options);
    await expectSameFile(
      pooled,
      await encodeParquetGroups(builder.copyInGroups(1000), stats, options),
    );
    expect(pulled).toEqual([0, 1, 2]);
    expect((await readParquetMetadata(pooled.bytes)).rowGroups.map((g) => g.numRows)).toEqual([
      1000, 1000, 500,
    ]);

    // A group of the wrong size, a feed that throws, a feed short of the stats: each job fails
    // with its own error and the next job is unaffected.
    await expect(pool.encodeGroups(builder.copyInGroups(700), stats, options)).rejects.toThrow(
      /row groups must hold 1000 rows/,
    );
    function* broken(): Generator<Table> {
      yield groups.copy(0);
      throw new Error('no more rows');
    }
    await expect(pool.encodeGroups(broken(), stats, options)).rejects.toThrow('no more rows');
    await expect(pool.encodeGroups([groups.copy(0)], stats, options)).rejects.toThrow(
      /groups held 1000 rows, stats say 2500/,
    );
    await expectSameFile(await pool.encodeGroups(feed(), stats, options), pooled);
  });

  it('rejects a bad job without breaking the pool', async () => {
    const pool = new ParquetEncoderPool();
    pools.push(pool);
    await expect(pool.encode(sampleTable(10, 1), { rowGroupSize: 0 })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
    });
    const ok = await pool.encode(sampleTable(10, 2));
    expect(ok.records).toBe(10);
  });

  it('finishes running jobs on close, then refuses new ones', async () => {
    const pool = new ParquetEncoderPool({ size: 2 });
    const pending = [
      pool.encode(sampleTable(3000, 1)),
      pool.encode(sampleTable(3000, 2)),
      pool.encode(sampleTable(3000, 3)),
    ];
    const closing = pool.close();
    expect(pool.close()).toBe(closing);
    const done = await Promise.all(pending);
    await closing;
    expect(done.map((d) => d.records)).toEqual([3000, 3000, 3000]);
    expect(pool.stats.workers).toBe(0);
    await expect(pool.encode(sampleTable(10, 1))).rejects.toMatchObject({ code: 'UNAVAILABLE' });
  });

  it('abandons a running merge and queued jobs: they reject UNAVAILABLE and the workers end', async () => {
    const pool = new ParquetEncoderPool();
    const file = encodeParquet(sampleTable(20_000, 1)).bytes;
    const running = pool.merge([file.slice(), file.slice()]);
    const queued = pool.encode(sampleTable(10, 2));
    // The merge was handed to the worker synchronously; its answer cannot have come back yet.
    expect(pool.stats).toMatchObject({ workers: 1, busy: 1, queued: 1 });
    const outcomes = [running, queued].map((job) =>
      expect(job).rejects.toMatchObject({ code: 'UNAVAILABLE' }),
    );
    await pool.abandon();
    await Promise.all(outcomes);
    expect(pool.stats).toMatchObject({ workers: 0, busy: 0, queued: 0 });
    await expect(pool.merge([file.slice()])).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    await pool.close();
  });

  it.runIf(process.platform === 'linux')(
    'runs a background pool at the nice value asked, leaving this thread as it was',
    async () => {
      const niceOf = (stat: string): number =>
        Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
      const threads = (): number[] =>
        readdirSync(`/proc/${process.pid}/task`).map((tid) =>
          niceOf(readFileSync(`/proc/${process.pid}/task/${tid}/stat`, 'utf8')),
        );
      const before = threads();
      const main = (): number => niceOf(readFileSync(`/proc/${process.pid}/stat`, 'utf8'));
      const mainBefore = main();
      const background = new ParquetEncoderPool({ niceness: 7 });
      try {
        await background.encode(sampleTable(50, 3));
        expect(threads().filter((n) => n === 7).length).toBeGreaterThan(
          before.filter((n) => n === 7).length,
        );
        expect(main()).toBe(mainBefore);
      } finally {
        await background.close();
      }
    },
  );
});
