import type { MessageInitShape } from '@bufbuild/protobuf';
import type {
  PromAnswer,
  PromExemplarsQuery,
  PromInstantQuery,
  PromMetadataQuery,
  PromRangeQuery,
  PromSeriesQuery,
} from '@o2/domain';
import { AppError } from '@o2/errors';
import type {
  ExemplarsRequest,
  ExemplarsRequestSchema,
  InstantQueryRequest,
  InstantQueryRequestSchema,
  LabelValuesRequest,
  LabelValuesRequestSchema,
  MetricMetadataRequest,
  MetricMetadataRequestSchema,
  RangeQueryRequest,
  RangeQueryRequestSchema,
  SeriesSelection,
  SeriesSelectionSchema,
} from '../gen/o2/promql/v1/promql_pb.js';

/**
 * `PromqlService` (proto/o2/promql/v1) ⇄ @o2/domain's PromQL contract. Domain times are ms and
 * may carry fractions (Prometheus accepts `time=1.5005`); the wire carries µs, which keeps them.
 */

/** One org-scoped PromQL call. */
export interface PromCall<Q> {
  org: string;
  query: Q;
}

const micros = (ms: number): bigint => BigInt(Math.round(ms * 1000));
const ms = (us: bigint): number => Number(us) / 1000;
const optionalMicros = <K extends string>(key: K, value: number | undefined) =>
  (value === undefined ? {} : { [key]: micros(value) }) as Partial<Record<K, bigint>>;
const optionalMs = <K extends string>(key: K, us: bigint | undefined) =>
  (us === undefined ? {} : { [key]: ms(us) }) as Partial<Record<K, number>>;
const optionalBig = <K extends string>(key: K, value: number | undefined) =>
  (value === undefined ? {} : { [key]: BigInt(value) }) as Partial<Record<K, bigint>>;
const optionalNumber = <K extends string>(key: K, value: bigint | undefined) =>
  (value === undefined ? {} : { [key]: Number(value) }) as Partial<Record<K, number>>;

export function encodeInstantQuery(
  call: PromCall<PromInstantQuery>,
): MessageInitShape<typeof InstantQueryRequestSchema> {
  const q = call.query;
  return {
    org: call.org,
    query: q.query,
    time: micros(q.timeMs),
    ...optionalMicros('timeout', q.timeoutMs),
    ...optionalMicros('lookbackDelta', q.lookbackDeltaMs),
  };
}

export function decodeInstantQuery(r: InstantQueryRequest): PromCall<PromInstantQuery> {
  return {
    org: r.org,
    query: {
      query: r.query,
      timeMs: ms(r.time),
      ...optionalMs('timeoutMs', r.timeout),
      ...optionalMs('lookbackDeltaMs', r.lookbackDelta),
    },
  };
}

export function encodeRangeQuery(
  call: PromCall<PromRangeQuery>,
): MessageInitShape<typeof RangeQueryRequestSchema> {
  const q = call.query;
  return {
    org: call.org,
    query: q.query,
    startTime: micros(q.startMs),
    endTime: micros(q.endMs),
    step: micros(q.stepMs),
    ...optionalMicros('timeout', q.timeoutMs),
    ...optionalMicros('lookbackDelta', q.lookbackDeltaMs),
  };
}

export function decodeRangeQuery(r: RangeQueryRequest): PromCall<PromRangeQuery> {
  return {
    org: r.org,
    query: {
      query: r.query,
      startMs: ms(r.startTime),
      endMs: ms(r.endTime),
      stepMs: ms(r.step),
      ...optionalMs('timeoutMs', r.timeout),
      ...optionalMs('lookbackDeltaMs', r.lookbackDelta),
    },
  };
}

/** `series`, `labels` and `label/{name}/values` carry the same `match[]` selection. */
export function encodeSeriesSelection(
  q: PromSeriesQuery,
): MessageInitShape<typeof SeriesSelectionSchema> {
  return {
    matchers: q.matchers,
    startTime: micros(q.startMs),
    endTime: micros(q.endMs),
    ...optionalBig('limit', q.limit),
  };
}

export function decodeSeriesSelection(s: SeriesSelection | undefined): PromSeriesQuery {
  if (s === undefined) throw AppError.invalidArgument('selection is required');
  return {
    matchers: [...s.matchers],
    startMs: ms(s.startTime),
    endMs: ms(s.endTime),
    ...optionalNumber('limit', s.limit),
  };
}

export function encodeLabelValuesRequest(
  call: PromCall<PromSeriesQuery> & { label: string },
): MessageInitShape<typeof LabelValuesRequestSchema> {
  return { org: call.org, label: call.label, selection: encodeSeriesSelection(call.query) };
}

export function decodeLabelValuesRequest(
  r: LabelValuesRequest,
): PromCall<PromSeriesQuery> & { label: string } {
  return { org: r.org, label: r.label, query: decodeSeriesSelection(r.selection) };
}

export function encodeMetadataRequest(
  call: PromCall<PromMetadataQuery>,
): MessageInitShape<typeof MetricMetadataRequestSchema> {
  const q = call.query;
  return {
    org: call.org,
    ...(q.metric === undefined ? {} : { metric: q.metric }),
    ...optionalBig('limit', q.limit),
    ...optionalBig('limitPerMetric', q.limitPerMetric),
  };
}

export function decodeMetadataRequest(r: MetricMetadataRequest): PromCall<PromMetadataQuery> {
  return {
    org: r.org,
    query: {
      ...(r.metric === undefined ? {} : { metric: r.metric }),
      ...optionalNumber('limit', r.limit),
      ...optionalNumber('limitPerMetric', r.limitPerMetric),
    },
  };
}

export function encodeExemplarsRequest(
  call: PromCall<PromExemplarsQuery>,
): MessageInitShape<typeof ExemplarsRequestSchema> {
  const q = call.query;
  return {
    org: call.org,
    query: q.query,
    startTime: micros(q.startMs),
    endTime: micros(q.endMs),
  };
}

export function decodeExemplarsRequest(r: ExemplarsRequest): PromCall<PromExemplarsQuery> {
  return {
    org: r.org,
    query: { query: r.query, startMs: ms(r.startTime), endMs: ms(r.endTime) },
  };
}

/** Every PromqlService answer is Prometheus's `data` (+ annotations) as UTF-8 JSON. */
export function encodePromAnswer(answer: PromAnswer): { answerJson: Uint8Array } {
  return { answerJson: new TextEncoder().encode(JSON.stringify(answer)) };
}

export function decodePromAnswer(response: { answerJson: Uint8Array }): PromAnswer {
  return JSON.parse(new TextDecoder().decode(response.answerJson)) as PromAnswer;
}
