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
  metadata: {},
  ...extra,
});

describe('promMetadataOf', () => {
  it('reads prom_metadata from the stream row', () => {
    expect(promMetadataOf(stream({ metadata: { prom_metadata: JSON.stringify(META) } }))).toEqual(
      META,
    );
    expect(promMetadataOf(stream({}))).toBeUndefined();
  });

  it('treats malformed metadata as absent', () => {
    expect(promMetadataOf(stream({ metadata: { prom_metadata: '{not json' } }))).toBeUndefined();
    expect(
      promMetadataOf(stream({ metadata: { prom_metadata: '{"help":"no type"}' } })),
    ).toBeUndefined();
    expect(promMetadataOf(stream({ metadata: { prom_metadata: '3' } }))).toBeUndefined();
  });
});
