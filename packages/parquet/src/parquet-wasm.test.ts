import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
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

/** A weak reference to an instance's linear memory, taken without keeping a strong one. */
function weakMemoryOf(instance: WeakRef<ReturnType<typeof parquetWasm>>): WeakRef<object> {
  const held = instance.deref() as unknown as { wasmMemory(): object } | undefined;
  if (held === undefined) throw new Error('the instance was collected before the test watched it');
  return new WeakRef(held.wasmMemory());
}

describe('parquet-wasm instance release', () => {
  it('drops a grown instance once idle, keeps it through a burst, and reads on with a fresh one', async () => {
    const file = fileOf(50_000);
    // Weakly: holding the old instance would keep its memory.
    const first = new WeakRef(parquetWasm());
    const before = await readParquet(file);
    expect(before.numRows).toBe(50_000);
    const grown = wasmMemoryBytes();
    expect(grown).toBeGreaterThan(8 * 1024 * 1024);
    releaseWhenIdle(grown, 150);
    // Used again before the quiet period ends: kept.
    await sleep(60);
    expect(parquetWasm()).toBe(first.deref());
    await sleep(60);
    expect(parquetWasm()).toBe(first.deref());
    // Quiet for longer than the period: dropped, and its memory with it once collected (a
    // module loader holding on to the old instance would keep its WebAssembly.Memory reachable).
    // Watching the Memory object itself, not process `external` bytes: other allocations in
    // this worker move `external` by megabytes, which made a byte count flaky.
    const memory = weakMemoryOf(first);
    await sleep(400);
    expect(wasmMemoryBytes()).toBe(0);
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    // deref() keeps its target alive until the current job ends, so each try collects in a
    // job that has not looked yet.
    let collected = false;
    for (let i = 0; i < 20 && !collected; i++) {
      gc();
      await sleep(20);
      collected = memory.deref() === undefined;
      await sleep(0);
    }
    expect(collected).toBe(true);
    const fresh = parquetWasm();
    expect(first.deref()).toBeUndefined();
    expect(fresh).toBeDefined();
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
