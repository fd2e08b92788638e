import { NATIVE_HISTOGRAM_COLUMN, nativeHistogramFromJson, seriesHash } from '@o2/metrics';
import { describe, expect, it } from 'vitest';
import { decodeRemoteWrite } from './decode-remote-write.js';
import type { DecodeRemoteWriteOptions } from './decode-remote-write.js';
import { encodeRemoteWrite, encodeWriteRequest } from './encode-remote-write.js';
import type { RemoteWriteHistogram } from './encode-remote-write.js';
import { compressSnappyBlock } from './snappy-block.js';

const options: DecodeRemoteWriteOptions = {
  org: 'default',
  maxDecompressedBytes: 1 << 20,
  nativeHistogramMaxBuckets: 16,
};
const T = 1_700_000_000_000;

const latency: RemoteWriteHistogram = {
  timestampMs: T,
  schema: 0,
  zeroThreshold: 0.001,
  zeroCount: 1,
  count: 9,
  sum: 12.5,
  positiveSpans: [{ offset: 0, length: 3 }],
  positiveBuckets: [1, 5, 0],
  negativeSpans: [{ offset: 1, length: 1 }],
  negativeBuckets: [2],
  counterResetHint: 'not_reset',
};

describe('native histograms in remote write', () => {
  it('keeps an integer histogram native with absolute counts (the wire sends deltas)', () => {
    // The delta encoding of [1, 5, 0] is [1, 4, -5]: decoding must give the counts back.
    expect(latency.positiveBuckets).toEqual([1, 5, 0]);
    const decoded = decodeRemoteWrite(
      encodeRemoteWrite([
        { labels: { __name__: 'rpc_seconds', job: 'api' }, histograms: [latency] },
      ]),
      options,
    );
    expect(decoded.accepted.histograms).toBe(1);
    const [row] = decoded.histogramRows.get('rpc_seconds') ?? [];
    const labels = { __name__: 'rpc_seconds', job: 'api' };
    expect(row).toMatchObject({ ...labels, value: 9, _timestamp: T * 1000 });
    expect(row?.__hash__).toBe(seriesHash(labels));
    const { timestampMs: _t, ...stored } = latency;
    expect(nativeHistogramFromJson(row?.[NATIVE_HISTOGRAM_COLUMN] as string)).toEqual(stored);
  });

  it('keeps a float histogram with its float counts, NaN sum and gauge hint', () => {
    const gauge: RemoteWriteHistogram = {
      ...latency,
      float: true,
      count: 2.5,
      zeroCount: 0.5,
      sum: NaN,
      positiveBuckets: [0.25, 0.75, 0],
      negativeBuckets: [1],
      counterResetHint: 'gauge',
    };
    const decoded = decodeRemoteWrite(
      encodeRemoteWrite([{ labels: { __name__: 'queue_fill' }, histograms: [gauge] }]),
      options,
    );
    const [row] = decoded.histogramRows.get('queue_fill') ?? [];
    expect(row?.value).toBe(2.5);
    const stored = nativeHistogramFromJson(row?.[NATIVE_HISTOGRAM_COLUMN] as string);
    expect(stored).toMatchObject({
      count: 2.5,
      zeroCount: 0.5,
      positiveBuckets: [0.25, 0.75, 0],
      negativeBuckets: [1],
      counterResetHint: 'gauge',
    });
    expect(stored.sum).toBeNaN();
    // The classic _sum of a NaN sum is dropped like any NaN sample; _count is kept.
    expect(decoded.rows.get('queue_fill_sum')).toBeUndefined();
    expect(decoded.rows.get('queue_fill_count')?.[0]?.value).toBe(2.5);
    expect(decoded.rejected.nanSamples).toBe(1);
  });

  it("also expands it into O2's classic _count, _sum and cumulative _bucket{le} streams", () => {
    const decoded = decodeRemoteWrite(
      encodeRemoteWrite([
        { labels: { __name__: 'rpc_seconds', job: 'api' }, histograms: [latency] },
      ]),
      options,
    );
    expect(decoded.rows.get('rpc_seconds_count')).toEqual([
      expect.objectContaining({ __name__: 'rpc_seconds_count', job: 'api', value: 9 }),
    ]);
    expect(decoded.rows.get('rpc_seconds_sum')?.[0]?.value).toBe(12.5);
    const buckets = decoded.rows.get('rpc_seconds_bucket') ?? [];
    expect(buckets.map((b) => [b.le, b.value])).toEqual([
      ['-1', 2],
      ['0.001', 3],
      ['1', 4],
      ['2', 9],
      ['4', 9],
      ['+Inf', 9],
    ]);
    for (const bucket of buckets) {
      expect(bucket._timestamp).toBe(T * 1000);
      const { value: _v, _timestamp: _ts, __hash__: hash, ...labels } = bucket;
      expect(hash).toBe(seriesHash(labels as Record<string, string>));
    }
    expect(new Set(buckets.map((b) => b.__hash__)).size).toBe(buckets.length);
  });

  it('caps the classic expansion at ZO_PROMETHEUS_NATIVE_HISTOGRAM_MAX_BUCKETS', () => {
    const wide: RemoteWriteHistogram = {
      ...latency,
      schema: 2,
      count: 100 + 1 + 2,
      positiveSpans: [{ offset: -10, length: 100 }],
      positiveBuckets: Array.from({ length: 100 }, () => 1),
    };
    const decoded = decodeRemoteWrite(
      encodeRemoteWrite([{ labels: { __name__: 'wide' }, histograms: [wide] }]),
      { ...options, nativeHistogramMaxBuckets: 8 },
    );
    const buckets = decoded.rows.get('wide_bucket') ?? [];
    expect(buckets.length).toBeLessThanOrEqual(8);
    expect(buckets.at(-1)).toMatchObject({ le: '+Inf', value: 103 });
    // The native row keeps every bucket.
    const [native] = decoded.histogramRows.get('wide') ?? [];
    const stored = nativeHistogramFromJson(native?.[NATIVE_HISTOGRAM_COLUMN] as string);
    expect(stored.positiveBuckets).toHaveLength(100);
  });

  it('keeps custom-bucket histograms (schema -53) with their bounds', () => {
    const nhcb: RemoteWriteHistogram = {
      ...latency,
      schema: -53,
      zeroThreshold: 0,
      zeroCount: 0,
      count: 6,
      negativeSpans: [],
      negativeBuckets: [],
      positiveSpans: [{ offset: 0, length: 3 }],
      positiveBuckets: [1, 2, 3],
      customValues: [0.25, 1],
    };
    const decoded = decodeRemoteWrite(
      encodeRemoteWrite([{ labels: { __name__: 'nhcb' }, histograms: [nhcb] }]),
      options,
    );
    const [native] = decoded.histogramRows.get('nhcb') ?? [];
    expect(
      nativeHistogramFromJson(native?.[NATIVE_HISTOGRAM_COLUMN] as string).customValues,
    ).toEqual([0.25, 1]);
    expect(decoded.rows.get('nhcb_bucket')?.map((b) => [b.le, b.value])).toEqual([
      ['0.25', 1],
      ['1', 3],
      ['+Inf', 6],
    ]);
  });

  it('skips and counts a malformed histogram but keeps the rest of the request', () => {
    const broken: RemoteWriteHistogram = { ...latency, positiveBuckets: [1, 2] }; // spans say 3
    const badSchema: RemoteWriteHistogram = { ...latency, schema: 30 };
    const body = compressSnappyBlock(
      encodeWriteRequest([
        { labels: { __name__: 'h' }, histograms: [broken, badSchema, latency] },
        { labels: { __name__: 'g' }, samples: [{ value: 1, timestampMs: T }] },
      ]),
    );
    const decoded = decodeRemoteWrite(body, options);
    expect(decoded.rejected.invalidHistograms).toBe(2);
    expect(decoded.histogramRows.get('h')).toHaveLength(1);
    expect(decoded.rows.get('g')).toHaveLength(1);
  });
});
