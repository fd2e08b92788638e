import { describe, expect, it } from 'vitest';
import { PromqlEngine } from '../eval/engine.js';
import { Labels } from '../labels/labels.js';
import { MemorySeriesSource } from '../storage/memory-series-source.js';
import { histogramFromStored } from './stored.js';
import type { StoredHistogramShape } from './stored.js';

// Shaped exactly like @o2/metrics' StoredNativeHistogram (which this package may not import):
// the converter takes it structurally.
const exponential = {
  schema: 0,
  zeroThreshold: 0.001,
  zeroCount: 1,
  count: 11,
  sum: 20,
  positiveSpans: [
    { offset: -1, length: 2 },
    { offset: 2, length: 1 },
  ],
  positiveBuckets: [1, 2, 3],
  negativeSpans: [{ offset: 0, length: 1 }],
  negativeBuckets: [4],
  counterResetHint: 'not_reset' as const,
};

describe('histogramFromStored', () => {
  it('lays absolute bucket counts out by their spans (offsets are gaps after the first span)', () => {
    const h = histogramFromStored(exponential);
    expect(h.pos).toEqual([
      { i: -1, c: 1 },
      { i: 0, c: 2 },
      { i: 3, c: 3 },
    ]);
    expect(h.neg).toEqual([{ i: 0, c: 4 }]);
    expect(h).toMatchObject({ schema: 0, zeroThreshold: 0.001, zeroCount: 1, count: 11, sum: 20 });
    expect(h.hint).toBe('not_reset');
    expect(h.customValues).toBeUndefined();
  });

  it('keeps custom bounds for NHCB and the result evaluates in the engine', async () => {
    const stored: StoredHistogramShape = {
      schema: -53,
      zeroThreshold: 0,
      zeroCount: 0,
      count: 6,
      sum: 0.9,
      positiveSpans: [{ offset: 0, length: 3 }],
      positiveBuckets: [1, 2, 3],
      negativeSpans: [],
      negativeBuckets: [],
      customValues: [0.1, 0.2],
    };
    const h = histogramFromStored(stored);
    expect(h.customValues).toEqual([0.1, 0.2]);
    expect(h.hint).toBe('unknown');
    const src = new MemorySeriesSource();
    src.add(Labels.from({ __name__: 'latency_seconds', job: 'api' }), [{ t: 0, v: h.count, h }]);
    const engine = new PromqlEngine(src);
    const q = await engine.instantQuery('histogram_quantile(0.25, latency_seconds)', 0);
    expect(q.resultType).toBe('vector');
    if (q.resultType !== 'vector') return;
    // rank 1.5 lies a quarter into (0.1, 0.2], which holds observations 2 and 3.
    expect(q.result.map((s) => [s.labels.toString(), s.v])).toEqual([['{job="api"}', 0.125]]);
    const count = await engine.instantQuery('histogram_count(latency_seconds)', 0);
    expect(count.resultType === 'vector' && count.result[0]?.v).toBe(6);
  });

  it('rejects spans that do not match the stored buckets', () => {
    expect(() => histogramFromStored({ ...exponential, positiveBuckets: [1, 2] })).toThrow(
      /positive spans cover more buckets/,
    );
    expect(() => histogramFromStored({ ...exponential, negativeBuckets: [4, 5] })).toThrow(
      /negative spans cover fewer buckets/,
    );
    expect(() =>
      histogramFromStored({ ...exponential, schema: -53, customValues: undefined }),
    ).toThrow(/without custom values/);
  });
});
