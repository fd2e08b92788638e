import { tableFromArrays } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { rowsInRange } from './rows-in-range.js';

describe('rowsInRange', () => {
  it('keeps the rows inside the half-open range, in order', () => {
    const table = tableFromArrays({
      _timestamp: BigInt64Array.from([5n, 10n, 15n, 20n, 9n, 12n]),
      log: ['a', 'b', 'c', 'd', 'e', 'f'],
    });
    const kept = rowsInRange(table, { startTs: 10, endTs: 20 });
    expect(kept.getChild('log')?.toArray()).toEqual(['b', 'c', 'f']);
  });

  it('keeps the schema when no row is inside', () => {
    const table = tableFromArrays({ _timestamp: BigInt64Array.from([1n]), log: ['a'] });
    const kept = rowsInRange(table, { startTs: 10, endTs: 20 });
    expect([kept.numRows, kept.schema.fields.map((f) => f.name)]).toEqual([
      0,
      ['_timestamp', 'log'],
    ]);
  });
});
