import type {
  PromExemplarsQuery,
  PromInstantQuery,
  PromMetadataQuery,
  PromRangeQuery,
  PromSeriesQuery,
} from '@o2/domain';
import { describe, expect, it } from 'vitest';
import {
  ExemplarsRequestSchema,
  InstantQueryRequestSchema,
  InstantQueryResponseSchema,
  LabelValuesRequestSchema,
  MetricMetadataRequestSchema,
  RangeQueryRequestSchema,
  SeriesRequestSchema,
} from '../gen/o2/promql/v1/promql_pb.js';
import { throughWire } from '../test-support/through-wire.js';
import {
  decodeExemplarsRequest,
  decodeInstantQuery,
  decodeLabelValuesRequest,
  decodeMetadataRequest,
  decodePromAnswer,
  decodeRangeQuery,
  decodeSeriesSelection,
  encodeExemplarsRequest,
  encodeInstantQuery,
  encodeLabelValuesRequest,
  encodeMetadataRequest,
  encodePromAnswer,
  encodeRangeQuery,
  encodeSeriesSelection,
} from './promql.js';

describe('PromQL codecs: domain → message → protobuf bytes → domain', () => {
  it('carries instant queries, fractional ms and optional fields included', () => {
    const queries: PromInstantQuery[] = [
      { query: 'up', timeMs: 1_764_000_000_000 },
      {
        query: 'rate(x[5m])',
        timeMs: 1_764_000_000_500.5,
        timeoutMs: 2_000,
        lookbackDeltaMs: 60_000,
      },
      { query: '', timeMs: -1_000 },
    ];
    for (const query of queries) {
      const wire = throughWire(InstantQueryRequestSchema, encodeInstantQuery({ org: 'o', query }));
      expect(decodeInstantQuery(wire)).toEqual({ org: 'o', query });
    }
  });

  it('carries range queries', () => {
    const queries: PromRangeQuery[] = [
      { query: 'sum(x)', startMs: 0, endMs: 60_000, stepMs: 15_000 },
      { query: 'x', startMs: 1.5, endMs: 2.5, stepMs: 0.001, timeoutMs: 1, lookbackDeltaMs: 1 },
    ];
    for (const query of queries) {
      const wire = throughWire(RangeQueryRequestSchema, encodeRangeQuery({ org: 'p', query }));
      expect(decodeRangeQuery(wire)).toEqual({ org: 'p', query });
    }
  });

  it('carries series selections (series, labels, label values)', () => {
    const selections: PromSeriesQuery[] = [
      { matchers: [], startMs: 0, endMs: 1 },
      { matchers: ['up', '{job=~"a|b"}'], startMs: 5, endMs: 10, limit: 0 },
      { matchers: ['x'], startMs: 5, endMs: 10, limit: 100 },
    ];
    for (const query of selections) {
      const series = throughWire(SeriesRequestSchema, {
        org: 'o',
        selection: encodeSeriesSelection(query),
      });
      expect(decodeSeriesSelection(series.selection)).toEqual(query);
      const values = throughWire(
        LabelValuesRequestSchema,
        encodeLabelValuesRequest({ org: 'o', label: 'job', query }),
      );
      expect(decodeLabelValuesRequest(values)).toEqual({ org: 'o', label: 'job', query });
    }
    expect(() => decodeSeriesSelection(undefined)).toThrow(/selection is required/);
  });

  it('carries metadata and exemplar queries', () => {
    const metadata: PromMetadataQuery[] = [{}, { metric: 'up', limit: 5, limitPerMetric: 1 }];
    for (const query of metadata) {
      const wire = throughWire(
        MetricMetadataRequestSchema,
        encodeMetadataRequest({ org: 'o', query }),
      );
      expect(decodeMetadataRequest(wire)).toEqual({ org: 'o', query });
    }
    const exemplars: PromExemplarsQuery = { query: 'x', startMs: 1, endMs: 2 };
    const wire = throughWire(
      ExemplarsRequestSchema,
      encodeExemplarsRequest({ org: 'o', query: exemplars }),
    );
    expect(decodeExemplarsRequest(wire)).toEqual({ org: 'o', query: exemplars });
  });

  it('carries answers as JSON, annotations included', () => {
    const answer = {
      data: { resultType: 'vector', result: [{ metric: { a: 'é' }, value: [1.5, 'NaN'] }] },
      warnings: ['w'],
      infos: ['i'],
    };
    expect(
      decodePromAnswer(throughWire(InstantQueryResponseSchema, encodePromAnswer(answer))),
    ).toEqual(answer);
  });
});
