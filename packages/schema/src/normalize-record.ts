import { AppError } from '@o2/errors';
import type { TimestampWindowOptions } from './check-timestamp-window.js';
import { checkTimestampWindow } from './check-timestamp-window.js';
import type { FlatRecord } from './flat-record.js';
import { isJsonObject, TIMESTAMP_COLUMN } from './flat-record.js';
import { DEFAULT_FLATTEN_LEVEL, FLATTEN_NOT_OBJECT, flattenInto } from './flatten-record.js';
import type { KeyCache } from './key-cache.js';
import { sharedKeyCache } from './key-cache.js';
import { numberTimestampMicros, parseTimestamp } from './parse-timestamp.js';

export const DEFAULT_COLS_PER_RECORD_LIMIT = 1000;

export const RECORD_NOT_PROCESSED = 'Record could not be processed. Data discarded.';

export interface NormalizeOptions extends TimestampWindowOptions {
  /** Ingest time of the batch in µs: stands in for missing timestamps and anchors the window. */
  nowMicros: number;
  /** Stream name, only used in the column-cap error. */
  streamName: string;
  /** `ZO_INGEST_FLATTEN_LEVEL` (default 3, 0 = unlimited). */
  flattenLevel?: number;
  /**
   * `ZO_COLUMN_TIMESTAMP`: a flattened (formatted) key whose value, when present, becomes
   * `_timestamp`; the key itself stays in the record.
   */
  timestampColumn?: string;
  /** `ZO_COLS_PER_RECORD_LIMIT` (default 1000; 0 = no cap). */
  colsPerRecordLimit?: number;
  keyCache?: KeyCache;
}

export type NormalizeResult =
  { ok: true; record: FlatRecord; ts: number } | { ok: false; error: string };

/**
 * The per-record ingest pipeline: flatten → `_timestamp` → window check → column cap.
 * Never throws for a bad record; the error string is O2's, ready for `IngestionResponse`.
 */
export function normalizeRecord(raw: unknown, options: NormalizeOptions): NormalizeResult {
  if (!isJsonObject(raw)) return { ok: false, error: FLATTEN_NOT_OBJECT };
  const record: FlatRecord = {};
  let written: number;
  try {
    written = flattenInto(
      raw,
      record,
      options.flattenLevel ?? DEFAULT_FLATTEN_LEVEL,
      options.keyCache ?? sharedKeyCache(),
    );
  } catch (err) {
    // Flattening is iterative past MAX_FLATTEN_DEPTH, so this is a bug, not bad input; the
    // response still names only the record, never a JS error text.
    if (err instanceof AppError) return { ok: false, error: err.message };
    return { ok: false, error: RECORD_NOT_PROCESSED };
  }

  return finishRecord(record, written, options);
}

/**
 * `normalizeRecord` for a record that is already flat with formatted keys and no null values
 * (a metric sample built by `@o2/metrics`): nothing to flatten, so it is finished **in place**
 * (`_timestamp`, window and column cap exactly as `normalizeRecord` applies them) and only an
 * error comes back — no copy and no result objects on the hottest ingest path. On success
 * `record._timestamp` holds the µs time.
 */
export function normalizeFlatRecord(
  record: FlatRecord,
  options: NormalizeOptions,
): string | undefined {
  const now = options.nowMicros;
  const column = options.timestampColumn;
  let source = record[TIMESTAMP_COLUMN];
  if (column !== undefined && column !== '' && column !== TIMESTAMP_COLUMN) {
    if (Object.hasOwn(record, column)) source = record[column];
  }
  let ts: number;
  if (typeof source === 'number' && Number.isFinite(source))
    ts = numberTimestampMicros(source, now);
  else {
    const parsed = parseTimestamp(source, now);
    if (!parsed.ok) return parsed.error;
    ts = parsed.micros;
  }
  const windowError = checkTimestampWindow(ts, now, options);
  if (windowError !== undefined) return windowError;
  record[TIMESTAMP_COLUMN] = ts;
  const limit = options.colsPerRecordLimit ?? DEFAULT_COLS_PER_RECORD_LIMIT;
  if (limit > 0) {
    let columns = 0;
    for (const _key in record) columns++;
    if (columns > limit) return columnCapError(columns, limit, options.streamName);
  }
  return undefined;
}

function finishRecord(
  record: FlatRecord,
  written: number,
  options: NormalizeOptions,
): NormalizeResult {
  const now = options.nowMicros;
  const column = options.timestampColumn;
  let source = record[TIMESTAMP_COLUMN];
  if (column !== undefined && column !== '' && column !== TIMESTAMP_COLUMN) {
    if (Object.hasOwn(record, column)) source = record[column];
  }
  const parsed = parseTimestamp(source, now);
  if (!parsed.ok) return parsed;
  const ts = parsed.micros;
  const windowError = checkTimestampWindow(ts, now, options);
  if (windowError !== undefined) return { ok: false, error: windowError };
  if (record[TIMESTAMP_COLUMN] === undefined) written++;
  record[TIMESTAMP_COLUMN] = ts;

  const limit = options.colsPerRecordLimit ?? DEFAULT_COLS_PER_RECORD_LIMIT;
  if (limit > 0 && written > limit) {
    // `written` over-counts colliding keys; count exactly only when it matters.
    const columns = Object.keys(record).length;
    if (columns > limit) {
      return { ok: false, error: columnCapError(columns, limit, options.streamName) };
    }
  }
  return { ok: true, record, ts };
}

function columnCapError(columns: number, limit: number, stream: string): string {
  return `Got ${columns} columns for stream ${stream}, only ${limit} columns accept. Data discarded. You can adjust ingestion columns limit by setting the environment variable ZO_COLS_PER_RECORD_LIMIT=<max_columns>`;
}
