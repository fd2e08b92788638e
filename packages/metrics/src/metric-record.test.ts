import { describe, expect, it } from 'vitest';
import { metricRecord, seriesHash } from './metric-record.js';

describe('metricRecord', () => {
  it('stores a sample as O2 does: formatted labels, __name__ = stream, value, _timestamp, __hash__', () => {
    const record = metricRecord({
      name: 'http.requests',
      labels: { 'k8s.namespace': 'prod', job: 'api' },
      value: 3,
      timestampUs: 1_700_000_000_000_000,
    });
    expect(record).toMatchObject({
      __name__: 'http_requests',
      k8s_namespace: 'prod',
      job: 'api',
      value: 3,
      _timestamp: 1_700_000_000_000_000,
    });
    expect(record?.__hash__).toBe(
      seriesHash({ __name__: 'http_requests', job: 'api', k8s_namespace: 'prod' }),
    );
  });

  it('drops NaN and clamps infinities', () => {
    expect(metricRecord({ name: 'x', labels: {}, value: NaN, timestampUs: 1 })).toBeUndefined();
    expect(metricRecord({ name: 'x', labels: {}, value: Infinity, timestampUs: 1 })?.value).toBe(
      Number.MAX_VALUE,
    );
    expect(metricRecord({ name: 'x', labels: {}, value: -Infinity, timestampUs: 1 })?.value).toBe(
      -Number.MAX_VALUE,
    );
  });
});

describe('seriesHash', () => {
  it('is a safe integer that ignores label order and non-label columns', () => {
    const a = seriesHash({ a: '1', b: '2', value: '9' });
    expect(Number.isSafeInteger(a)).toBe(true);
    expect(seriesHash({ b: '2', a: '1' })).toBe(a);
    expect(seriesHash({ a: '1', b: '3' })).not.toBe(a);
    expect(seriesHash({ a: '1|b:2' })).not.toBe(a);
  });

  it('spreads 100k series without a collision', () => {
    const seen = new Set<number>();
    for (let i = 0; i < 100_000; i++)
      seen.add(seriesHash({ __name__: 'm', instance: `host-${i}`, job: String(i % 7) }));
    expect(seen.size).toBe(100_000);
  });
});
