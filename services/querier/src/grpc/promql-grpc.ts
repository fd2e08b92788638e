import type { PromqlService } from '@o2/domain';
import type { ServiceImpl } from '@o2/grpc';
import {
  decodeExemplarsRequest,
  decodeInstantQuery,
  decodeLabelValuesRequest,
  decodeMetadataRequest,
  decodeRangeQuery,
  decodeSeriesSelection,
  encodePromAnswer,
} from '@o2/proto';
import type { PromqlService as PromqlServiceDesc } from '@o2/proto';

/** The querier's `PromqlService` (proto/o2/promql/v1): the router's Prometheus API calls. */
export function promqlServiceImpl(promql: PromqlService): ServiceImpl<typeof PromqlServiceDesc> {
  return {
    instantQuery: async (r) => {
      const { org, query } = decodeInstantQuery(r);
      return encodePromAnswer(await promql.query(org, query));
    },
    rangeQuery: async (r) => {
      const { org, query } = decodeRangeQuery(r);
      return encodePromAnswer(await promql.queryRange(org, query));
    },
    series: async (r) =>
      encodePromAnswer(await promql.series(r.org, decodeSeriesSelection(r.selection))),
    labelNames: async (r) =>
      encodePromAnswer(await promql.labels(r.org, decodeSeriesSelection(r.selection))),
    labelValues: async (r) => {
      const { org, label, query } = decodeLabelValuesRequest(r);
      return encodePromAnswer(await promql.labelValues(org, label, query));
    },
    metricMetadata: async (r) => {
      const { org, query } = decodeMetadataRequest(r);
      return encodePromAnswer(await promql.metadata(org, query));
    },
    exemplars: async (r) => {
      const { org, query } = decodeExemplarsRequest(r);
      return encodePromAnswer(await promql.exemplars(org, query));
    },
    formatQuery: async (r) => encodePromAnswer(await promql.formatQuery(r.query)),
  };
}
