import type { StoredNativeHistogram } from '@o2/metrics';
import { describe, expect, it } from 'vitest';
import { classicBuckets } from './classic-buckets.js';

function histogram(init: Partial<StoredNativeHistogram>): StoredNativeHistogram {
  return {
    schema: 0,
    zeroThreshold: 0,
    zeroCount: 0,
    count: 0,
    sum: 0,
    positiveSpans: [],
    positiveBuckets: [],
    negativeSpans: [],
    negativeBuckets: [],
    ...init,
  };
}

/** Exact count of observations at or below `le`, from the native buckets at full resolution. */
function exactAtOrBelow(h: StoredNativeHistogram, le: number): number {
  const full = classicBuckets(h, Number.MAX_SAFE_INTEGER);
  let best = 0;
  for (const bucket of full)
    if (bucket.le !== '+Inf' && Number(bucket.le) <= le) best = bucket.value;
  return best;
}

describe('classicBuckets', () => {
  it('lays negative, zero and positive buckets out as cumulative le buckets ending at +Inf', () => {
    // Schema 0: bucket i spans (2^(i-1), 2^i]; negative bucket 1 spans [-2, -1).
    const h = histogram({
      count: 9,
      sum: 10,
      zeroThreshold: 0.001,
      zeroCount: 1,
      positiveSpans: [{ offset: 0, length: 3 }],
      positiveBuckets: [1, 2, 3],
      negativeSpans: [{ offset: 1, length: 1 }],
      negativeBuckets: [2],
    });
    expect(classicBuckets(h, 16)).toEqual([
      { le: '-1', value: 2 },
      { le: '0.001', value: 3 },
      { le: '1', value: 4 },
      { le: '2', value: 6 },
      { le: '4', value: 9 },
      { le: '+Inf', value: 9 },
    ]);
  });

  it('follows span offsets across gaps', () => {
    const h = histogram({
      count: 3,
      positiveSpans: [
        { offset: -1, length: 1 },
        { offset: 2, length: 1 },
      ],
      positiveBuckets: [1, 2],
    });
    // Indexes -1 and 2: bounds 0.5 and 4.
    expect(classicBuckets(h, 16)).toEqual([
      { le: '0.5', value: 1 },
      { le: '4', value: 3 },
      { le: '+Inf', value: 3 },
    ]);
  });

  it('merges adjacent buckets to stay within the cap, keeping exact counts at every bound', () => {
    const counts = Array.from({ length: 40 }, (_, i) => i + 1);
    const h = histogram({
      schema: 3,
      count: counts.reduce((a, b) => a + b, 0),
      positiveSpans: [{ offset: -7, length: 40 }],
      positiveBuckets: counts,
      negativeSpans: [{ offset: -3, length: 5 }],
      negativeBuckets: [1, 0, 2, 0, 3],
    });
    const full = classicBuckets(h, 1000);
    expect(full).toHaveLength(46);
    for (const cap of [16, 10, 5, 3]) {
      const capped = classicBuckets(h, cap);
      expect(capped.length).toBeLessThanOrEqual(cap);
      expect(capped.at(-1)).toEqual({ le: '+Inf', value: h.count });
      const finite = capped.slice(0, -1);
      for (let i = 1; i < finite.length; i++) {
        expect(Number(finite[i]?.le)).toBeGreaterThan(Number(finite[i - 1]?.le));
        expect(finite[i]?.value).toBeGreaterThanOrEqual(finite[i - 1]?.value ?? 0);
      }
      // A merged bound is a real native bound: its cumulative count is the exact one.
      for (const bucket of finite) expect(bucket.value).toBe(exactAtOrBelow(h, Number(bucket.le)));
    }
    // Halving the resolution twice (40 positive buckets → 11 bounds) fits 16 with the
    // negative side; the coarser bounds are every fourth native one (2^(4k/8) = √2^k).
    const sixteen = classicBuckets(h, 16).map((b) => b.le);
    expect(sixteen).toContain('2');
    expect(sixteen).toContain('4');
    expect(sixteen).not.toContain(String(2 ** (1 / 8)));
  });

  it('keeps only +Inf when the cap leaves room for nothing else', () => {
    const h = histogram({
      count: 5,
      positiveSpans: [{ offset: 0, length: 2 }],
      positiveBuckets: [2, 3],
    });
    expect(classicBuckets(h, 1)).toEqual([{ le: '+Inf', value: 5 }]);
    expect(classicBuckets(h, 0)).toEqual([]);
  });

  it('uses the custom bounds of a custom-bucket histogram (schema -53), merging every other', () => {
    const h = histogram({
      schema: -53,
      count: 5,
      customValues: [0.1, 0.5, 1, 5],
      positiveSpans: [{ offset: 0, length: 5 }],
      positiveBuckets: [1, 1, 1, 1, 1],
    });
    expect(classicBuckets(h, 16)).toEqual([
      { le: '0.1', value: 1 },
      { le: '0.5', value: 2 },
      { le: '1', value: 3 },
      { le: '5', value: 4 },
      { le: '+Inf', value: 5 },
    ]);
    expect(classicBuckets(h, 3)).toEqual([
      { le: '0.5', value: 2 },
      { le: '5', value: 4 },
      { le: '+Inf', value: 5 },
    ]);
  });
});
