import type { PromMetadata } from '@o2/metrics';

/**
 * One row an OTLP (or metrics `_json`) request asks to store, before the ingest pipeline's
 * normalisation: the record and, when the request does not name the stream (metrics: one
 * stream per metric name), the stream. A document with `error` is rejected alone (counted in
 * the response's partial success) and stores nothing.
 */
export interface OtlpDocument {
  record: Record<string, unknown>;
  stream?: string;
  error?: string;
}

/** What a request decodes to. Documents come in a fixed order: the WAL replays by index. */
export interface DecodedOtlp {
  documents: OtlpDocument[];
  /** Metrics: the `prom_metadata` of every stream written, by stream name. */
  metadata?: Map<string, PromMetadata>;
  /** False for metrics: O2 does not apply the ingest time window to metric samples. */
  checkWindow: boolean;
}
