import type { PromqlService } from '@o2/domain';
import type { CallOptions, ServiceClient } from '@o2/grpc';
import {
  PromqlService as PromqlServiceDesc,
  decodePromAnswer,
  encodeExemplarsRequest,
  encodeInstantQuery,
  encodeLabelValuesRequest,
  encodeMetadataRequest,
  encodeRangeQuery,
  encodeSeriesSelection,
} from '@o2/proto';
import { querierForward } from './querier-forward.js';
import type { QuerierForwardOptions } from './querier-forward.js';

type PromqlClient = ServiceClient<typeof PromqlServiceDesc>;

/**
 * The Prometheus API of a router in cluster mode: each call goes whole to one live querier
 * (round robin, next one on UNAVAILABLE), which evaluates it over the org's metric streams and
 * leads the reads. Errors arrive as AppErrors, so the HTTP layer answers as in single node.
 */
export function clusterPromql(options: QuerierForwardOptions): PromqlService {
  const toQuerier = querierForward(options);
  const forward = async (
    method: string,
    call: (querier: PromqlClient, options: CallOptions) => Promise<{ answerJson: Uint8Array }>,
  ) =>
    decodePromAnswer(
      await toQuerier(method, (client, callOptions) =>
        call(client.service(PromqlServiceDesc), callOptions),
      ),
    );

  return {
    query: (org, query) =>
      forward('instantQuery', (querier, call) =>
        querier.instantQuery(encodeInstantQuery({ org, query }), call),
      ),
    queryRange: (org, query) =>
      forward('rangeQuery', (querier, call) =>
        querier.rangeQuery(encodeRangeQuery({ org, query }), call),
      ),
    series: (org, query) =>
      forward('series', (querier, call) =>
        querier.series({ org, selection: encodeSeriesSelection(query) }, call),
      ),
    labels: (org, query) =>
      forward('labelNames', (querier, call) =>
        querier.labelNames({ org, selection: encodeSeriesSelection(query) }, call),
      ),
    labelValues: (org, label, query) =>
      forward('labelValues', (querier, call) =>
        querier.labelValues(encodeLabelValuesRequest({ org, label, query }), call),
      ),
    metadata: (org, query) =>
      forward('metricMetadata', (querier, call) =>
        querier.metricMetadata(encodeMetadataRequest({ org, query }), call),
      ),
    exemplars: (org, query) =>
      forward('exemplars', (querier, call) =>
        querier.exemplars(encodeExemplarsRequest({ org, query }), call),
      ),
    formatQuery: (query) =>
      forward('formatQuery', (querier, call) => querier.formatQuery({ query }, call)),
  };
}
