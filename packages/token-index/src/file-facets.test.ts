import { describe, expect, it } from 'vitest';
import { ColumnarBatchBuilder, encodeParquet } from '@o2/parquet';
import { buildFileIndexes, decodeFileFacets, MAX_FACET_VALUES } from './index.js';

const MINUTE = 60_000_000;
const BASE = 1_700_000_000_000_000 - (1_700_000_000_000_000 % MINUTE);

function dataFile(rows: number): Uint8Array {
  const builder = new ColumnarBatchBuilder([
    { name: 'log', type: 'Utf8' },
    { name: 'ns', type: 'Utf8' },
    { name: 'code', type: 'Int64' },
    { name: 'ratio', type: 'Float64' },
  ]);
  for (let i = 0; i < rows; i++) {
    builder.append({
      _timestamp: BASE + i * 1_000_000, // one row a second
      log: `request ${i}`,
      ns: i % 4 === 0 ? null : `ns-é${i % 3}`,
      code: [200, 404, 500][i % 3],
      ratio: i / 7,
    });
  }
  return encodeParquet(builder.finish(), { rowGroupSize: 100 }).bytes;
}

describe('the facets of a data file', () => {
  it('counts rows by value of low-cardinality columns and by minute', async () => {
    const rows = 300;
    const { facets } = await buildFileIndexes(dataFile(rows), {
      type: 'logs',
      settings: {},
      invertedIndex: false,
    });
    const decoded = decodeFileFacets(facets!)!;
    expect(decoded.rows).toBe(rows);
    expect(decoded.minutes).toEqual([
      [BASE / MINUTE, 60],
      [BASE / MINUTE + 1, 60],
      [BASE / MINUTE + 2, 60],
      [BASE / MINUTE + 3, 60],
      [BASE / MINUTE + 4, 60],
    ]);
    const expectedNs = new Map<string | null, number>();
    const expectedCode = new Map<string, number>();
    for (let i = 0; i < rows; i++) {
      const ns = i % 4 === 0 ? null : `ns-é${i % 3}`;
      expectedNs.set(ns, (expectedNs.get(ns) ?? 0) + 1);
      const code = String([200, 404, 500][i % 3]);
      expectedCode.set(code, (expectedCode.get(code) ?? 0) + 1);
    }
    expect(new Map(decoded.columns.get('ns'))).toEqual(expectedNs);
    expect(new Map(decoded.columns.get('code'))).toEqual(expectedCode);
    // More distinct values than a facet keeps, and a float column: no facet.
    expect(rows).toBeGreaterThan(MAX_FACET_VALUES);
    expect(decoded.columns.has('log')).toBe(false);
    expect(decoded.columns.has('ratio')).toBe(false);
  });

  it('decodes nothing from bytes it did not write', () => {
    expect(decodeFileFacets(new Uint8Array([1, 2, 3]))).toBeUndefined();
  });
});
