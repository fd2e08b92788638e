import { describe, expect, it } from 'vitest';
import { PromqlEngine } from '../eval/engine.js';
import type { QueryResult } from '../eval/engine.js';
import { Labels } from '../labels/labels.js';
import { MemorySeriesSource } from '../storage/memory-series-source.js';
import { addHistograms, detectReset, toSchema } from './histogram-math.js';
import { nativeFraction, nativeQuantile, nativeStdvar } from './histogram-stats.js';
import { compact, histogramString } from './histogram.js';
import { expandHistogramSequence, parseHistogramLiteral } from './notation.js';

const lit = parseHistogramLiteral;

function only(r: QueryResult): { labels: string; v: number; h: unknown }[] {
  if (r.resultType !== 'vector') throw new Error(`expected a vector, got ${r.resultType}`);
  return r.result.map((s) => ({ labels: s.labels.toString(), v: s.v, h: s.h && compact(s.h) }));
}

describe('native histogram values', () => {
  it('parses the promqltest notation, sequences included', () => {
    const h = lit(
      '{{schema:1 sum:-0.3 count:3.1 z_bucket:7.1 z_bucket_w:0.05 buckets:[5.1 10 7] offset:-3 n_buckets:[4.1 5] n_offset:-5 counter_reset_hint:gauge}}',
    );
    expect(h).toMatchObject({
      schema: 1,
      sum: -0.3,
      count: 3.1,
      zeroCount: 7.1,
      zeroThreshold: 0.05,
      hint: 'gauge',
    });
    expect(h.pos.map((b) => b.i)).toEqual([-3, -2, -1]);
    expect(h.neg).toEqual([
      { i: -5, c: 4.1 },
      { i: -4, c: 5 },
    ]);
    const seq = expandHistogramSequence('{{sum:1 count:1}}+{{sum:2 count:3}}x2');
    expect(seq.map((x) => [x.sum, x.count])).toEqual([
      [1, 1],
      [3, 4],
      [5, 7],
    ]);
    expect(expandHistogramSequence('{{count:2}}x3')).toHaveLength(4);
  });

  it('adds across schemas by merging buckets into the coarser one', () => {
    // Schema 1 buckets 1, 2, 3 cover (1, √2], (√2, 2], (2, 2√2]: schema 0 buckets 1, 1, 2.
    const fine = lit('{{schema:1 count:7 sum:6 buckets:[1 2 4] offset:1}}');
    expect(toSchema(fine, 0).pos).toEqual([
      { i: 1, c: 3 },
      { i: 2, c: 4 },
    ]);
    const sum = addHistograms(fine, lit('{{schema:0 count:4 sum:1 buckets:[4] offset:1}}'));
    expect(sum).toMatchObject({ schema: 0, count: 11, sum: 7 });
    expect(sum.pos).toEqual([
      { i: 1, c: 7 },
      { i: 2, c: 4 },
    ]);
  });

  it('detects counter resets from counts, buckets and explicit hints', () => {
    const a = lit('{{count:4 buckets:[2 2]}}');
    expect(detectReset(lit('{{count:5 buckets:[3 2]}}'), a)).toBe(false);
    expect(detectReset(lit('{{count:5 buckets:[1 4]}}'), a)).toBe(true);
    expect(detectReset(lit('{{count:3 buckets:[3]}}'), a)).toBe(true);
    expect(detectReset(lit('{{count:9 buckets:[5 4] counter_reset_hint:reset}}'), a)).toBe(true);
  });

  it('computes quantile, fraction and variance like Prometheus', () => {
    const h = lit('{{schema:0 count:4 sum:5 buckets:[2 2]}}');
    expect(nativeQuantile(0.5, h)).toBe(1);
    expect(nativeQuantile(0.75, h)).toBeCloseTo(Math.SQRT2, 12);
    expect(nativeFraction(0, 1, h)).toBe(0.5);
    const nhcb = lit('{{schema:-53 count:10 sum:5 custom_values:[1 2] buckets:[4 6]}}');
    expect(nativeQuantile(0.7, nhcb)).toBeCloseTo(1.5, 12);
    expect(nativeStdvar(nhcb)).toBeCloseTo((4 * 0.5 ** 2 + 6 * 1 ** 2) / 10, 12);
  });

  it('prints Prometheus text form (count_values label values)', () => {
    const h = lit(
      '{{schema:0 sum:10 count:20 z_bucket_w:0.001 z_bucket:2 buckets:[1 2] n_buckets:[1 2]}}',
    );
    expect(histogramString(h)).toBe(
      '{count:20, sum:10, [-2,-1):2, [-1,-0.5):1, [-0.001,0.001]:2, (0.5,1]:1, (1,2]:2}',
    );
  });
});

describe('PromqlEngine over native histograms', () => {
  const src = new MemorySeriesSource();
  const series = (labels: Record<string, string>, counts: number[]): void => {
    src.add(
      Labels.from(labels),
      counts.map((c, k) => {
        const h = lit(`{{schema:0 sum:${c} count:${c} buckets:[${c}]}}`);
        return { t: k * 15_000, v: c, h };
      }),
    );
  };
  series({ __name__: 'req_seconds', job: 'a' }, [10, 20, 5, 15]);
  series({ __name__: 'req_seconds', job: 'b' }, [1, 2, 3, 4]);
  src.add(Labels.from({ __name__: 'up', job: 'a' }), [{ t: 45_000, v: 1 }]);
  const engine = new PromqlEngine(src);

  it('rate detects the reset and extrapolates (gauge result)', async () => {
    // 15 - 10 + 20 (pre-reset) = 25 over 45 s, extrapolated to 60 s: 25 · 4/3 / 60 s.
    const r = await engine.instantQuery('rate(req_seconds{job="a"}[1m])', 45_000);
    const [s] = only(r);
    const want = (25 * 4) / 3 / 60;
    expect(s!.labels).toBe('{job="a"}');
    const h = s!.h as { count: number; sum: number; hint: string };
    expect(h.count).toBeCloseTo(want, 12);
    expect(h.sum).toBeCloseTo(want, 12);
    expect(h.hint).toBe('gauge');
    expect(r.warnings).toEqual([]);
  });

  it('sums, scales and compares histograms; drops what PromQL does not define, with an info', async () => {
    const sum = only(await engine.instantQuery('sum(req_seconds) * 2', 45_000));
    expect(sum[0]!.h).toMatchObject({ count: 38, sum: 38 });
    const cmp = await engine.instantQuery('req_seconds > 1', 45_000);
    expect(only(cmp)).toEqual([]);
    expect(cmp.infos).toEqual([
      'PromQL info: incompatible sample types encountered for binary operator ">": histogram > float',
    ]);
    const max = await engine.instantQuery('max({job="a"})', 45_000);
    expect(only(max).map((s) => s.v)).toEqual([1]);
    expect(max.infos).toEqual(['PromQL info: ignored histogram in max aggregation']);
    const mix = await engine.instantQuery('sum({job="a"})', 45_000);
    expect(only(mix)).toEqual([]);
    expect(mix.warnings).toEqual([
      'PromQL warning: encountered a mix of histograms and floats for aggregation',
    ]);
  });

  it('returns histogram samples in range query matrices', async () => {
    const r = await engine.rangeQuery('req_seconds{job="b"}', 0, 45_000, 15_000);
    expect(r.resultType).toBe('matrix');
    if (r.resultType !== 'matrix') return;
    expect(r.result[0]!.histograms?.map((h) => h?.count)).toEqual([1, 2, 3, 4]);
  });
});
