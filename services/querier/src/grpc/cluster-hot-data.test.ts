import { tableFromArrays, tableToIPC } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { tablesOfIpc } from './cluster-hot-data.js';

describe('tablesOfIpc', () => {
  it('reads back every IPC stream of the chunks, each with its own schema', () => {
    const first = tableToIPC(tableFromArrays({ a: Int32Array.from([1, 2, 3]) }), 'stream');
    const second = tableToIPC(tableFromArrays({ a: Int32Array.from([4]), b: ['x'] }), 'stream');
    const bytes = Buffer.concat([first, second]);
    // Chunk boundaries fall anywhere, including inside a message.
    const chunks = [
      bytes.subarray(0, 7),
      bytes.subarray(7, first.byteLength + 3),
      bytes.subarray(first.byteLength + 3),
    ];
    const tables = tablesOfIpc(chunks);
    expect(tables.map((t) => [t.schema.fields.map((f) => f.name), t.numRows])).toEqual([
      [['a'], 3],
      [['a', 'b'], 1],
    ]);
    expect(tables[1]?.getChild('b')?.toArray()).toEqual(['x']);
  });

  it('has no tables for no chunks', () => {
    expect(tablesOfIpc([])).toEqual([]);
  });
});
