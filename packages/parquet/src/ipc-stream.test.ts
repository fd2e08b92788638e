import { describe, expect, it } from 'vitest';
import { tableToIPC } from 'apache-arrow';
import { ColumnarBatchBuilder } from './columnar-batch-builder.js';
import { BufferRecycler, tableToIpcStream } from './ipc-stream.js';

describe('tableToIpcStream', () => {
  it("writes the same bytes as apache-arrow's tableToIPC into the memory it is given", () => {
    const builder = new ColumnarBatchBuilder([
      { name: 's', type: 'Utf8' },
      { name: 'b', type: 'Boolean' },
    ]);
    for (let i = 0; i < 100; i++)
      builder.append({ _timestamp: 100 - i, s: i % 3 ? `v${i}` : null, b: i % 2 === 0 });
    const table = builder.finish();
    const backing = new Uint8Array(1 << 20);
    const ipc = tableToIpcStream(table, () => backing);
    expect(ipc.buffer).toBe(backing.buffer);
    expect(Buffer.from(ipc).equals(Buffer.from(tableToIPC(table, 'stream')))).toBe(true);
  });
});

describe('BufferRecycler', () => {
  it('hands back a kept buffer that fits and drops ones above the limit', () => {
    const recycler = new BufferRecycler(1000, 1);
    const first = recycler.take(100);
    expect(first.byteLength).toBeGreaterThanOrEqual(100);
    recycler.give(first.buffer as ArrayBuffer);
    expect(recycler.take(90).buffer).toBe(first.buffer);
    const huge = recycler.take(5000);
    recycler.give(huge.buffer as ArrayBuffer);
    expect(recycler.take(5000).buffer).not.toBe(huge.buffer);
  });
});
