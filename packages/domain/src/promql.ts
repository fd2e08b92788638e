/**
 * The PromQL contract between the router (Prometheus HTTP API, O2-CONTRACT §8.5) and the querier
 * role. The router parses query strings and form bodies into these; the querier answers with
 * the `data` (plus annotations) of Prometheus's JSON envelope, already in Prometheus's shapes
 * (sample values as strings, times as unix seconds), which the router wraps in
 * `{"status":"success",...}`. Errors are AppErrors: INVALID_ARGUMENT is Prometheus's `bad_data`
 * (400), UNPROCESSABLE its `execution` (422), DEADLINE_EXCEEDED its `timeout` (503).
 */

/** Times are ms since the epoch. */
export interface PromInstantQuery {
  query: string;
  timeMs: number;
  /** The client's `timeout`, capped by the querier's own. */
  timeoutMs?: number;
  /** The client's `lookback_delta` (Prometheus's default is 5 m). */
  lookbackDeltaMs?: number;
}

export interface PromRangeQuery {
  query: string;
  startMs: number;
  endMs: number;
  stepMs: number;
  timeoutMs?: number;
  lookbackDeltaMs?: number;
}

/** `series`, `labels`, `label/{name}/values`: `match[]` selectors over a time range. */
export interface PromSeriesQuery {
  /** `match[]` selectors; empty means every series (labels and label values only). */
  matchers: string[];
  startMs: number;
  endMs: number;
  /** Prometheus's `limit` (0: none). */
  limit?: number;
}

export interface PromMetadataQuery {
  metric?: string;
  limit?: number;
  limitPerMetric?: number;
}

export interface PromExemplarsQuery {
  query: string;
  startMs: number;
  endMs: number;
}

/** The `data` of a success envelope and the annotations that go beside it. */
export interface PromAnswer {
  data: unknown;
  warnings?: string[];
  infos?: string[];
}

export interface PromqlService {
  query(org: string, query: PromInstantQuery): Promise<PromAnswer>;
  queryRange(org: string, query: PromRangeQuery): Promise<PromAnswer>;
  series(org: string, query: PromSeriesQuery): Promise<PromAnswer>;
  labels(org: string, query: PromSeriesQuery): Promise<PromAnswer>;
  labelValues(org: string, label: string, query: PromSeriesQuery): Promise<PromAnswer>;
  metadata(org: string, query: PromMetadataQuery): Promise<PromAnswer>;
  exemplars(org: string, query: PromExemplarsQuery): Promise<PromAnswer>;
  /** Prometheus's `format_query`: the expression pretty-printed (a parse error is bad_data). */
  formatQuery(query: string): Promise<PromAnswer>;
}
