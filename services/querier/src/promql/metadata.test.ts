import { describe, expect, it } from 'vitest';
import type { StreamRecord } from '@o2/metastore';
import { promMetadataOf } from './metadata.js';

const META = { metric_type: 'Histogram', metric_family_name: 'rpc', help: 'h', unit: 's' };
const stream = (extra: Record<string, unknown>): StreamRecord => ({
  org: 'default',
  type: 'metrics',
  name: 'rpc_bucket',
  settings: {},
  createdAt: 0,
  updatedAt: 0,
  ...extra,
});

describe('promMetadataOf', () => {
  it('finds prom_metadata on the stream row, the schema or the settings, as text or object', () => {
    expect(
      promMetadataOf(stream({ metadata: { prom_metadata: JSON.stringify(META) } }), undefined),
    ).toEqual(META);
    expect(promMetadataOf(stream({}), { metadata: { prom_metadata: META } })).toEqual(META);
    expect(
      promMetadataOf(stream({ settings: { prom_metadata: JSON.stringify(META) } }), undefined),
    ).toEqual(META);
  });

  it('treats malformed metadata as absent', () => {
    expect(
      promMetadataOf(stream({ metadata: { prom_metadata: '{not json' } }), undefined),
    ).toBeUndefined();
    expect(
      promMetadataOf(stream({ metadata: { prom_metadata: '{"help":"no type"}' } }), undefined),
    ).toBeUndefined();
    expect(promMetadataOf(stream({ metadata: 'nonsense' }), { metadata: null })).toBeUndefined();
  });
});
