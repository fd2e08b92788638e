import type { AroundQuery, SearchQuery, ValuesQuery } from '@o2/domain';
import { describe, expect, it } from 'vitest';
import {
  AroundRequestSchema,
  PartitionRequestSchema,
  QueryRequestSchema,
  QueryResponseSchema,
  ValuesRequestSchema,
} from '../gen/o2/search/v1/query_pb.js';
import { throughWire } from '../test-support/through-wire.js';
import {
  decodeAroundRequest,
  decodeQueryRequest,
  decodeResponseBody,
  decodeValuesRequest,
  encodeAroundRequest,
  encodeQueryRequest,
  encodeResponseBody,
  encodeValuesRequest,
} from './query-requests.js';
import { decodeAroundQuery, decodeSearchQuery } from './search-queries.js';

const searches: SearchQuery[] = [
  { sql: 'SELECT * FROM "app"', startTime: 0, endTime: 1 },
  {
    sql: 'U0VMRUNUIDE',
    startTime: 1_764_000_000_000_000,
    endTime: 1_764_000_060_000_000,
    from: 0,
    size: -999,
    trackTotalHits: false,
    encoding: 'base64',
  },
  { sql: '', startTime: -5, endTime: 5, size: 0, trackTotalHits: true },
];

const values: ValuesQuery[] = [
  { fields: ['level'], startTime: 1, endTime: 2 },
  {
    fields: ['a', 'b'],
    startTime: 1,
    endTime: 2,
    size: 10,
    from: 0,
    filter: 'k8s_namespace=prod,dev',
    keyword: 'err',
    noCount: false,
    sql: 'U0VMRUNU',
  },
  { fields: [], startTime: 0, endTime: 0, noCount: true },
];

const arounds: AroundQuery[] = [
  { key: 1_764_000_000_000_000, size: 10 },
  { key: 0, size: 0, sql: 'U0VMRUNU', filters: { host: 'a', code: 500, ok: false, ratio: 0.5 } },
];

describe('QueryService request codecs', () => {
  it.each(searches)('brings a search query back unchanged (%#)', (query) => {
    const call = { org: 'default', type: 'logs' as const, query };
    expect(decodeQueryRequest(throughWire(QueryRequestSchema, encodeQueryRequest(call)))).toEqual(
      call,
    );
    // Partition carries the same request shape.
    expect(
      decodeQueryRequest(throughWire(PartitionRequestSchema, encodeQueryRequest(call))),
    ).toEqual(call);
  });

  it.each(values)('brings a values query back unchanged (%#)', (query) => {
    const call = { org: 'o', type: 'metrics' as const, stream: 'cpu', query };
    expect(
      decodeValuesRequest(throughWire(ValuesRequestSchema, encodeValuesRequest(call))),
    ).toEqual(call);
  });

  it.each(arounds)('brings an around query back unchanged (%#)', (query) => {
    const call = { org: 'o', type: 'traces' as const, stream: 'spans', query };
    expect(
      decodeAroundRequest(throughWire(AroundRequestSchema, encodeAroundRequest(call))),
    ).toEqual(call);
  });

  it('reads an empty filter map as no filters', () => {
    const call = {
      org: 'o',
      type: 'logs' as const,
      stream: 's',
      query: { key: 1, size: 2, filters: {} },
    };
    const wire = throughWire(AroundRequestSchema, encodeAroundRequest(call));
    expect(decodeAroundRequest(wire).query).toEqual({ key: 1, size: 2 });
  });

  it('refuses a request without its query', () => {
    expect(() => decodeSearchQuery(undefined)).toThrow('query is required');
    expect(() => decodeAroundQuery(undefined)).toThrow('query is required');
    const wire = throughWire(QueryRequestSchema, { org: 'o', streamType: 1 });
    expect(() => decodeQueryRequest(wire)).toThrow('query is required');
  });

  it('brings an O2 response body back unchanged', () => {
    const body = { took: 3, hits: [{ a: 1, b: 'x', c: null, d: [true] }], total: 1, from: 0 };
    expect(decodeResponseBody(throughWire(QueryResponseSchema, encodeResponseBody(body)))).toEqual(
      body,
    );
  });
});
