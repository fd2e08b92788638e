import { describe, expect, it } from 'vitest';
import { nativeHistogramFromJson, nativeHistogramToJson } from './native-histogram-json.js';
import type { StoredNativeHistogram } from './native-histogram.js';

describe('native histogram JSON', () => {
  it('round-trips, NaN and infinities included', () => {
    const histogram: StoredNativeHistogram = {
      schema: 3,
      zeroThreshold: 1e-128,
      zeroCount: 0,
      count: 4,
      sum: NaN,
      positiveSpans: [{ offset: -2, length: 2 }],
      positiveBuckets: [Infinity, 1],
      negativeSpans: [{ offset: 0, length: 1 }],
      negativeBuckets: [-Infinity],
      counterResetHint: 'gauge',
    };
    const text = nativeHistogramToJson(histogram);
    expect(() => JSON.parse(text) as unknown).not.toThrow();
    expect(text).toContain('"sum":"NaN"');
    expect(nativeHistogramFromJson(text)).toEqual(histogram);
  });

  it('rejects text that is not a stored histogram', () => {
    expect(() => nativeHistogramFromJson('{')).toThrow(/not valid JSON/);
    expect(() => nativeHistogramFromJson('[]')).toThrow(/no schema/);
  });
});
