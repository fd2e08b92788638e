import { seriesHash } from '@o2/metrics';
import { describe, expect, it } from 'vitest';
import { decodeRemoteWrite } from './decode-remote-write.js';
import type { DecodeRemoteWriteOptions } from './decode-remote-write.js';
import { encodeRemoteWrite } from './encode-remote-write.js';
import { staleMarker } from './stale-marker.js';

const options: DecodeRemoteWriteOptions = {
  org: 'default',
  maxDecompressedBytes: 1 << 20,
  nativeHistogramMaxBuckets: 16,
};
const T = 1_700_000_000_000; // ms

describe('decodeRemoteWrite', () => {
  it('turns each sample into a row of its metric stream, with formatted labels and µs time', () => {
    const body = encodeRemoteWrite([
      {
        labels: { __name__: 'http_requests_total', job: 'api', 'k8s.pod': 'p-1' },
        samples: [
          { value: 1, timestampMs: T },
          { value: 2.5, timestampMs: T + 15_000 },
        ],
      },
      { labels: { __name__: 'Up', instance: 'h:9090' }, samples: [{ value: 1, timestampMs: T }] },
    ]);
    const decoded = decodeRemoteWrite(body, options);
    expect([...decoded.rows.keys()].sort()).toEqual(['http_requests_total', 'up']);
    const labels = { __name__: 'http_requests_total', job: 'api', k8s_pod: 'p-1' };
    expect(decoded.rows.get('http_requests_total')).toEqual([
      { ...labels, value: 1, _timestamp: T * 1000, __hash__: seriesHash(labels) },
      { ...labels, value: 2.5, _timestamp: (T + 15_000) * 1000, __hash__: seriesHash(labels) },
    ]);
    expect(decoded.rows.get('up')?.[0]).toMatchObject({ __name__: 'up', instance: 'h:9090' });
    expect(decoded.accepted).toEqual({ samples: 3, histograms: 0 });
  });

  it('skips series without __name__ and leaves out empty label values', () => {
    const decoded = decodeRemoteWrite(
      encodeRemoteWrite([
        { labels: { job: 'nameless' }, samples: [{ value: 1, timestampMs: T }] },
        { labels: { __name__: '', job: 'empty' }, samples: [{ value: 1, timestampMs: T }] },
        { labels: { __name__: 'm', empty: '' }, samples: [{ value: 1, timestampMs: T }] },
      ]),
      options,
    );
    expect(decoded.rejected.seriesWithoutName).toBe(2);
    expect(decoded.rows.get('m')?.[0]).not.toHaveProperty('empty');
    expect(decoded.accepted.samples).toBe(1);
  });

  it('drops NaN, clamps ±Inf, and drops stale markers unless asked to keep them', () => {
    const body = encodeRemoteWrite([
      {
        labels: { __name__: 'g' },
        samples: [
          { value: NaN, timestampMs: T },
          { value: staleMarker(), timestampMs: T + 1 },
          { value: Infinity, timestampMs: T + 2 },
          { value: -Infinity, timestampMs: T + 3 },
        ],
      },
    ]);
    const dropped = decodeRemoteWrite(body, options);
    expect(dropped.rows.get('g')?.map((r) => r.value)).toEqual([
      Number.MAX_VALUE,
      -Number.MAX_VALUE,
    ]);
    expect(dropped.rejected).toMatchObject({ nanSamples: 1, staleMarkers: 1 });

    const kept = decodeRemoteWrite(body, { ...options, keepStaleMarkers: true });
    const rows = kept.rows.get('g') ?? [];
    expect(rows.map((r) => r._timestamp)).toEqual([(T + 1) * 1000, (T + 2) * 1000, (T + 3) * 1000]);
    expect(rows[0]?.value).toBeNaN();
    expect(kept.rejected).toMatchObject({ nanSamples: 1, staleMarkers: 0 });
  });

  it('sets prom_metadata per family and for the derived histogram and summary streams', () => {
    const decoded = decodeRemoteWrite(
      encodeRemoteWrite(
        [],
        [
          { family: 'http_requests_total', type: 'Counter', help: 'Requests.', unit: '' },
          { family: 'rpc_duration_seconds', type: 'Histogram', help: 'Latency.', unit: 'seconds' },
          { family: 'gc_pause', type: 'Summary', help: 'GC.' },
        ],
      ),
      options,
    );
    const histogram = {
      metric_type: 'Histogram',
      metric_family_name: 'rpc_duration_seconds',
      help: 'Latency.',
      unit: 'seconds',
    };
    expect(Object.fromEntries(decoded.metadata)).toEqual({
      http_requests_total: {
        metric_type: 'Counter',
        metric_family_name: 'http_requests_total',
        help: 'Requests.',
        unit: '',
      },
      rpc_duration_seconds: histogram,
      rpc_duration_seconds_bucket: histogram,
      rpc_duration_seconds_count: histogram,
      rpc_duration_seconds_sum: histogram,
      gc_pause: { metric_type: 'Summary', metric_family_name: 'gc_pause', help: 'GC.', unit: '' },
      gc_pause_count: expect.objectContaining({ metric_family_name: 'gc_pause' }) as unknown,
      gc_pause_sum: expect.objectContaining({ metric_type: 'Summary' }) as unknown,
    });
    expect(decoded.rows.size).toBe(0);
  });

  it('counts exemplars it does not store', () => {
    const decoded = decodeRemoteWrite(
      encodeRemoteWrite([
        {
          labels: { __name__: 'c' },
          samples: [{ value: 1, timestampMs: T }],
          exemplars: [{ labels: { trace_id: 'abc' }, value: 1, timestampMs: T }],
        },
      ]),
      options,
    );
    expect(decoded.rejected.exemplars).toBe(1);
    expect(decoded.rows.get('c')).toHaveLength(1);
  });
});
