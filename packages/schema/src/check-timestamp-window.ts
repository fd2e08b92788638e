export interface TimestampWindowOptions {
  /** `ZO_INGEST_ALLOWED_UPTO` in hours (default 5). */
  allowedUptoHours?: number;
  /** `ZO_INGEST_ALLOWED_IN_FUTURE` in hours (default 24). */
  allowedInFutureHours?: number;
}

export const DEFAULT_ALLOWED_UPTO_HOURS = 5;
export const DEFAULT_ALLOWED_IN_FUTURE_HOURS = 24;
const HOUR_MICROS = 3_600_000_000;

/**
 * O2's ingest window: a record is accepted when
 * `now − upto h ≤ ts ≤ now + future h` (both edges inclusive). Returns O2's exact error
 * text with the configured hours, or undefined when the timestamp is inside.
 *
 * Whatever the window (metrics have none: `Infinity`), a timestamp must be a safe integer of
 * µs (until the year 2255): the file list, Parquet statistics and queries carry it as a JS
 * number, and an acknowledged record whose file could never be listed would be stuck.
 */
export function checkTimestampWindow(
  ts: number,
  nowMicros: number,
  options: TimestampWindowOptions = {},
): string | undefined {
  if (!Number.isSafeInteger(ts)) {
    return `Invalid _timestamp ${ts}: it must be an integer of microseconds between ${-Number.MAX_SAFE_INTEGER} and ${Number.MAX_SAFE_INTEGER}. Data discarded.`;
  }
  const upto = options.allowedUptoHours ?? DEFAULT_ALLOWED_UPTO_HOURS;
  const future = options.allowedInFutureHours ?? DEFAULT_ALLOWED_IN_FUTURE_HOURS;
  if (ts < nowMicros - upto * HOUR_MICROS) {
    return `Too old data, only last ${upto} hours data can be ingested. Data discarded. You can adjust ingestion max time by setting the environment variable ZO_INGEST_ALLOWED_UPTO=<max_hours>`;
  }
  if (ts > nowMicros + future * HOUR_MICROS) {
    return `Too far data, only future ${future} hours data can be ingested. Data discarded. You can adjust ingestion max time by setting the environment variable ZO_INGEST_ALLOWED_IN_FUTURE=<max_hours>`;
  }
  return undefined;
}
