import { describe, expect, it } from 'vitest';
import { ColumnarBatchBuilder } from './columnar-batch-builder.js';
import { encodeParquet } from './encode-parquet.js';
import { readParquet, wasmInstance } from './read-parquet.js';

const { current: parquetWasm, bytes: wasmMemoryBytes, releaseWhenIdle } = wasmInstance;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function fileOf(rows: number): Uint8Array {
  const builder = new ColumnarBatchBuilder([{ name: 'msg', type: 'Utf8' }]);
  for (let i = 0; i < rows; i++)
    builder.append({
      _timestamp: 1_700_000_000_000_000 + i,
      msg: `line ${i} ${'x'.repeat(i % 200)}`,
    });
  return encodeParquet(builder.finish(), { compression: 'uncompressed' }).bytes;
}

describe('parquet-wasm instance release', () => {
  it('drops a grown instance once idle, keeps it through a burst, and reads on with a fresh one', async () => {
    const file = fileOf(50_000);
    const first = parquetWasm();
    const before = await readParquet(file);
    expect(before.numRows).toBe(50_000);
    const grown = wasmMemoryBytes();
    expect(grown).toBeGreaterThan(8 * 1024 * 1024);
    releaseWhenIdle(grown, 150);
    // Used again before the quiet period ends: kept.
    await sleep(60);
    expect(parquetWasm()).toBe(first);
    await sleep(60);
    expect(parquetWasm()).toBe(first);
    // Quiet for longer than the period: dropped, and its memory with it.
    await sleep(400);
    expect(wasmMemoryBytes()).toBe(0);
    const fresh = parquetWasm();
    expect(fresh).not.toBe(first);
    expect(wasmMemoryBytes()).toBeLessThan(grown);
    const again = await readParquet(file);
    expect(again.getChild('msg')?.toArray()).toEqual(before.getChild('msg')?.toArray());
    expect(again.getChild('_timestamp')?.toArray()).toEqual(
      before.getChild('_timestamp')?.toArray(),
    );
  });

  it('keeps an instance smaller than the limit', async () => {
    const current = parquetWasm();
    releaseWhenIdle(wasmMemoryBytes() + 1, 10);
    await sleep(100);
    expect(parquetWasm()).toBe(current);
  });
});
