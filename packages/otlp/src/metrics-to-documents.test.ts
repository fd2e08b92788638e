import { describe, expect, it } from 'vitest';
import { metricsJsonToDocuments } from './metrics-json-to-documents.js';
import { metricsToDocuments } from './metrics-to-documents.js';

const NOW = 1_700_000_000_000_000;
const encode = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));
const T = '1700000000000000000';

function decode(metrics: unknown[]) {
  const body = {
    resourceMetrics: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: 'api' } }] },
        scopeMetrics: [{ scope: { name: 'm' }, metrics }],
      },
    ],
  };
  return metricsToDocuments(encode(body), 'json', NOW);
}

describe('OTLP metrics → metric rows (O2-CONTRACT §8.2)', () => {
  it('stores a sum per point with its labels and prom_metadata', () => {
    const { documents, metadata, checkWindow } = decode([
      {
        name: 'http.requests',
        description: 'requests',
        unit: '1',
        sum: {
          aggregationTemporality: 2,
          isMonotonic: true,
          dataPoints: [
            {
              asInt: '7',
              timeUnixNano: T,
              startTimeUnixNano: '5',
              attributes: [{ key: 'code', value: { intValue: 200 } }],
            },
          ],
        },
      },
    ]);
    expect(checkWindow).toBe(false);
    expect(documents).toHaveLength(1);
    expect(documents[0]?.stream).toBe('http_requests');
    expect(documents[0]?.record).toMatchObject({
      __name__: 'http_requests',
      service_name: 'api',
      instrumentation_library_name: 'm',
      code: '200',
      value: 7,
      _timestamp: 1700000000000000,
      start_time: '5',
      flag: 'DO_NOT_USE',
      aggregation_temporality: 'AGGREGATION_TEMPORALITY_CUMULATIVE',
      is_monotonic: 'true',
    });
    expect(metadata?.get('http_requests')).toEqual({
      metric_type: 'Counter',
      metric_family_name: 'http_requests',
      help: 'requests',
      unit: '1',
    });
  });

  it('expands a histogram into _count, _sum and cumulative _bucket rows', () => {
    const { documents, metadata } = decode([
      {
        name: 'lat',
        histogram: {
          aggregationTemporality: 2,
          dataPoints: [
            {
              timeUnixNano: T,
              count: '6',
              sum: 12.5,
              bucketCounts: ['1', '2', '3'],
              explicitBounds: [0.5, 5],
            },
          ],
        },
      },
    ]);
    expect(documents.map((d) => [d.stream, d.record['le'], d.record['value']])).toEqual([
      ['lat_count', undefined, 6],
      ['lat_sum', undefined, 12.5],
      ['lat_bucket', '0.5', 1],
      ['lat_bucket', '5', 3],
      ['lat_bucket', 'inf', 6],
    ]);
    expect(metadata?.get('lat_bucket')?.metric_type).toBe('Histogram');
  });

  it('expands a summary and rejects a metric without points', () => {
    const { documents } = decode([
      {
        name: 'rpc',
        summary: {
          dataPoints: [
            { timeUnixNano: T, count: 2, sum: 3, quantileValues: [{ quantile: 0.5, value: 1 }] },
          ],
        },
      },
      { name: 'empty', gauge: { dataPoints: [] } },
    ]);
    expect(
      documents.map((d) => [d.stream, d.record['quantile'], d.record['value'], d.error]),
    ).toEqual([
      ['rpc_count', undefined, 2, undefined],
      ['rpc_sum', undefined, 3, undefined],
      ['rpc', '0.5', 1, undefined],
      ['empty', undefined, undefined, 'Metric empty has no data points'],
    ]);
  });
});

describe('metrics _json (O2-CONTRACT §8.3)', () => {
  it('stores each sample in its metric stream', () => {
    const { documents, metadata } = metricsJsonToDocuments(
      encode([
        {
          __name__: 'cpu',
          __type__: 'counter',
          host: 'a',
          value: '1.5',
          _timestamp: 1691643770347,
        },
      ]),
      NOW,
    );
    expect(documents[0]?.record).toMatchObject({
      __name__: 'cpu',
      __type__: 'counter',
      host: 'a',
      value: 1.5,
      _timestamp: 1691643770347000,
    });
    expect(metadata?.get('cpu')).toMatchObject({ metric_type: 'Counter', help: 'cpu' });
  });

  it('refuses what O2 refuses', () => {
    expect(() => metricsJsonToDocuments(encode([{ value: 1 }]), NOW)).toThrow('missing __name__');
    expect(() =>
      metricsJsonToDocuments(encode([{ __name__: 'x', __type__: 'nope', value: 1 }]), NOW),
    ).toThrow(/invalid __type__/);
    expect(() => metricsJsonToDocuments(encode([{ __name__: 'x', value: 'abc' }]), NOW)).toThrow(
      /invalid value/,
    );
    expect(() =>
      metricsJsonToDocuments(encode([{ __name__: 'x', value: 1, _timestamp: 'x' }]), NOW),
    ).toThrow(/_timestamp/);
  });
});

describe('OTLP exponential histograms', () => {
  it('gives _count, _sum and one _bucket per populated bucket with le = ±base^(offset+i+1)', () => {
    const body = {
      resourceMetrics: [
        {
          scopeMetrics: [
            {
              metrics: [
                {
                  name: 'size',
                  exponentialHistogram: {
                    aggregationTemporality: 1,
                    dataPoints: [
                      {
                        timeUnixNano: T,
                        count: 5,
                        sum: 20,
                        scale: 0,
                        positive: { offset: 1, bucketCounts: [2, 1] },
                        negative: { offset: 0, bucketCounts: [2] },
                      },
                    ],
                  },
                },
              ],
            },
          ],
        },
      ],
    };
    const { documents, metadata } = metricsToDocuments(encode(body), 'json', NOW);
    expect(documents.map((d) => [d.stream, d.record['le'], d.record['value']])).toEqual([
      ['size_count', undefined, 5],
      ['size_sum', undefined, 20],
      ['size_bucket', '4', 2],
      ['size_bucket', '8', 1],
      ['size_bucket', '-2', 2],
    ]);
    expect(metadata?.get('size_bucket')?.metric_type).toBe('ExponentialHistogram');
    expect(documents[0]?.record['aggregation_temporality']).toBe('AGGREGATION_TEMPORALITY_DELTA');
  });
});
