import type { PromAnswer, PromSeriesQuery, PromqlService } from '@o2/domain';
import { AppError } from '@o2/errors';
import type { ServiceImpl } from '@o2/grpc';
import type { PromqlService as PromqlServiceDesc, SeriesSelection } from '@o2/proto';

/** The wire's µs → ms. */
const ms = (micros: bigint) => Number(micros) / 1000;
const optionalMs = <K extends string>(key: K, micros: bigint | undefined) =>
  (micros === undefined ? {} : { [key]: ms(micros) }) as Partial<Record<K, number>>;
const optionalNumber = <K extends string>(key: K, value: bigint | undefined) =>
  (value === undefined ? {} : { [key]: Number(value) }) as Partial<Record<K, number>>;

function seriesQuery(selection: SeriesSelection | undefined): PromSeriesQuery {
  if (selection === undefined) throw AppError.invalidArgument('selection is required');
  return {
    matchers: [...selection.matchers],
    startMs: ms(selection.startTime),
    endMs: ms(selection.endTime),
    ...optionalNumber('limit', selection.limit),
  };
}

const json = (answer: PromAnswer) => ({
  answerJson: new TextEncoder().encode(JSON.stringify(answer)),
});

/** The querier's `PromqlService` (proto/o2/promql/v1): the router's Prometheus API calls. */
export function promqlServiceImpl(promql: PromqlService): ServiceImpl<typeof PromqlServiceDesc> {
  return {
    instantQuery: async (r) =>
      json(
        await promql.query(r.org, {
          query: r.query,
          timeMs: ms(r.time),
          ...optionalMs('timeoutMs', r.timeout),
          ...optionalMs('lookbackDeltaMs', r.lookbackDelta),
        }),
      ),
    rangeQuery: async (r) =>
      json(
        await promql.queryRange(r.org, {
          query: r.query,
          startMs: ms(r.startTime),
          endMs: ms(r.endTime),
          stepMs: ms(r.step),
          ...optionalMs('timeoutMs', r.timeout),
          ...optionalMs('lookbackDeltaMs', r.lookbackDelta),
        }),
      ),
    series: async (r) => json(await promql.series(r.org, seriesQuery(r.selection))),
    labelNames: async (r) => json(await promql.labels(r.org, seriesQuery(r.selection))),
    labelValues: async (r) =>
      json(await promql.labelValues(r.org, r.label, seriesQuery(r.selection))),
    metricMetadata: async (r) =>
      json(
        await promql.metadata(r.org, {
          ...(r.metric === undefined ? {} : { metric: r.metric }),
          ...optionalNumber('limit', r.limit),
          ...optionalNumber('limitPerMetric', r.limitPerMetric),
        }),
      ),
    exemplars: async (r) =>
      json(
        await promql.exemplars(r.org, {
          query: r.query,
          startMs: ms(r.startTime),
          endMs: ms(r.endTime),
        }),
      ),
    formatQuery: async (r) => json(await promql.formatQuery(r.query)),
  };
}
