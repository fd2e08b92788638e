import type { PromAnswer, PromSeriesQuery, PromqlService } from '@o2/domain';
import type { CallOptions, ServiceClient } from '@o2/grpc';
import { PromqlService as PromqlServiceDesc } from '@o2/proto';
import { querierForward } from './querier-forward.js';
import type { QuerierForwardOptions } from './querier-forward.js';

type PromqlClient = ServiceClient<typeof PromqlServiceDesc>;

/** ms → the wire's µs (PromQL times may carry fractions of a ms; µs keeps them). */
const micros = (ms: number) => BigInt(Math.round(ms * 1000));
const optionalMicros = <K extends string>(key: K, ms: number | undefined) =>
  (ms === undefined ? {} : { [key]: micros(ms) }) as Partial<Record<K, bigint>>;
const optionalBig = <K extends string>(key: K, value: number | undefined) =>
  (value === undefined ? {} : { [key]: BigInt(value) }) as Partial<Record<K, bigint>>;

function selection(query: PromSeriesQuery) {
  return {
    matchers: query.matchers,
    startTime: micros(query.startMs),
    endTime: micros(query.endMs),
    ...optionalBig('limit', query.limit),
  };
}

const answerOf = (response: { answerJson: Uint8Array }): PromAnswer =>
  JSON.parse(new TextDecoder().decode(response.answerJson)) as PromAnswer;

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
    answerOf(
      await toQuerier(method, (client, callOptions) =>
        call(client.service(PromqlServiceDesc), callOptions),
      ),
    );

  return {
    query: (org, q) =>
      forward('instantQuery', (querier, call) =>
        querier.instantQuery(
          {
            org,
            query: q.query,
            time: micros(q.timeMs),
            ...optionalMicros('timeout', q.timeoutMs),
            ...optionalMicros('lookbackDelta', q.lookbackDeltaMs),
          },
          call,
        ),
      ),
    queryRange: (org, q) =>
      forward('rangeQuery', (querier, call) =>
        querier.rangeQuery(
          {
            org,
            query: q.query,
            startTime: micros(q.startMs),
            endTime: micros(q.endMs),
            step: micros(q.stepMs),
            ...optionalMicros('timeout', q.timeoutMs),
            ...optionalMicros('lookbackDelta', q.lookbackDeltaMs),
          },
          call,
        ),
      ),
    series: (org, q) =>
      forward('series', (querier, call) => querier.series({ org, selection: selection(q) }, call)),
    labels: (org, q) =>
      forward('labelNames', (querier, call) =>
        querier.labelNames({ org, selection: selection(q) }, call),
      ),
    labelValues: (org, label, q) =>
      forward('labelValues', (querier, call) =>
        querier.labelValues({ org, label, selection: selection(q) }, call),
      ),
    metadata: (org, q) =>
      forward('metricMetadata', (querier, call) =>
        querier.metricMetadata(
          {
            org,
            ...(q.metric === undefined ? {} : { metric: q.metric }),
            ...optionalBig('limit', q.limit),
            ...optionalBig('limitPerMetric', q.limitPerMetric),
          },
          call,
        ),
      ),
    exemplars: (org, q) =>
      forward('exemplars', (querier, call) =>
        querier.exemplars(
          { org, query: q.query, startTime: micros(q.startMs), endTime: micros(q.endMs) },
          call,
        ),
      ),
    formatQuery: (query) =>
      forward('formatQuery', (querier, call) => querier.formatQuery({ query }, call)),
  };
}
