import { describe, expect, it } from 'vitest';
import { Table, Utf8, vectorFromArray } from 'apache-arrow';
import { AppError } from '@o2/errors';
import {
  buildTokenIndex,
  isPackedTokenIndex,
  packTokenIndex,
  tokenIndexInfo,
  tokenIndexMayMatch,
  tokenIndexRowRanges,
  unpackTokenIndex,
} from './index.js';

/** 4 row groups of 500 log lines, one of them holding a rare term. */
function sampleIndex(): Uint8Array {
  const lines = Array.from({ length: 2000 }, (_, i) =>
    i === 1234
      ? 'GET /rare-zebra 200'
      : `pod-${i % 40} GET /api/v${i % 9}/items/${i * 7919} ${i % 11 === 0 ? 'error' : 'ok'}`,
  );
  const table = new Table({ log: vectorFromArray(lines, new Utf8()) });
  return buildTokenIndex(table, ['log'], { rowGroups: [500, 500, 500, 500] });
}

describe('a packed token index (as stored)', () => {
  it('unpacks to the very index it was made of, and is smaller', async () => {
    const index = sampleIndex();
    const packed = packTokenIndex(index);
    expect(isPackedTokenIndex(packed)).toBe(true);
    expect(isPackedTokenIndex(index)).toBe(false);
    expect(Buffer.from(packed.subarray(0, 5)).toString('latin1')).toBe('O2TZ\u0001');
    expect(packed.length).toBeLessThan(index.length / 2);
    expect(await unpackTokenIndex(packed)).toEqual(index);
    // An index stored before packing is read as it is.
    expect(await unpackTokenIndex(index)).toBe(index);
  });

  it('answers every question exactly as the unpacked index does', () => {
    const index = sampleIndex();
    const packed = packTokenIndex(index);
    expect(tokenIndexInfo(packed)).toEqual({ ...tokenIndexInfo(index), bytes: packed.length });
    for (const term of ['rare-zebra', 'error', 'absent-term', 'items', 'zeb']) {
      expect(tokenIndexMayMatch(packed, term, ['log'])).toBe(tokenIndexMayMatch(index, term));
      expect(tokenIndexRowRanges(packed, [term], ['log'])).toEqual(
        tokenIndexRowRanges(index, [term], ['log']),
      );
    }
    expect(tokenIndexMayMatch(packed, 'absent-term')).toBe(false);
    expect(tokenIndexRowRanges(packed, ['rare-zebra'], ['log'])).toEqual([[1234, 1236]]); // its 2-row block
  });

  it('refuses a damaged or lying envelope with a clear error, not a crash', async () => {
    const packed = packTokenIndex(sampleIndex());
    const truncated = packed.subarray(0, packed.length - 20);
    await expect(unpackTokenIndex(truncated)).rejects.toBeInstanceOf(AppError);
    expect(() => tokenIndexInfo(truncated)).toThrow('not a token index');
    // A length smaller than the stream unpacks to must not let it grow past what it claims.
    const short = packed.slice();
    new DataView(short.buffer).setUint32(5, 100);
    await expect(unpackTokenIndex(short)).rejects.toThrow('not a token index');
    const future = packed.slice();
    future[4] = 9;
    await expect(unpackTokenIndex(future)).rejects.toThrow('not a token index');
  });
});
