import { AppError } from '@o2/errors';
import { orgIdProblem, streamNameProblem } from './names.js';
import { isFileStreamType } from './stream-types.js';
import type { FileStreamType } from './stream-types.js';

/**
 * The one module that knows how data files and their indexes are laid out in the object store:
 * `files/{org}/{type}/{stream}/YYYY/MM/DD/HH/[k=v/]{id}.parquet`, the full-text token index
 * beside it as `{id}.tokens`, and file_list's split of the key into stream/date/file columns.
 * Nothing else builds or slices these keys.
 */

export type PartitionPair = readonly [key: string, value: string];

export interface FileKeyParts {
  org: string;
  streamType: FileStreamType;
  stream: string;
  /** Any µs timestamp inside the file's hour partition. */
  ts: number;
  /** Partition key/value pairs in the stream's partition-key order. */
  partitions?: readonly PartitionPair[];
  /** File id, see `generateFileId`. */
  id: string;
}

export interface ParsedFileKey {
  org: string;
  streamType: FileStreamType;
  stream: string;
  /** Start of the hour partition, µs. */
  ts: number;
  partitions: PartitionPair[];
  id: string;
  /** file_list `stream` column: `{org}/{type}/{stream}`. */
  streamKey: string;
  /** file_list `date` column: `YYYY/MM/DD/HH`. */
  date: string;
  /** file_list `file` column: partition dirs and file name. */
  file: string;
}

const PREFIX = 'files';
const SUFFIX = '.parquet';
const INDEX_SUFFIX = '.tokens';
const ID_PATTERN = /^[A-Za-z0-9_-]+$/;
const UNSAFE_CHARS = /[/\\=\p{Cc}]/gu;
const DOT_RUNS = /\.{2,}/g;

/**
 * Makes a partition key or value safe as one path segment of `key=value`: path separators,
 * `=` and control characters become `_`, as do runs of dots, so no value can climb out of its
 * directory or split into two. Spaces and other characters are kept (object keys allow them).
 */
export function sanitizePartitionValue(value: string): string {
  return value.replace(UNSAFE_CHARS, '_').replace(DOT_RUNS, '_');
}

/**
 * The object key of a data file:
 * `files/{org}/{type}/{stream}/YYYY/MM/DD/HH/[k=v/]{id}.parquet`, hour in UTC.
 */
export function fileKey(parts: FileKeyParts): string {
  // The same rules the ingest edge applies, so no name that got past it can fail here.
  checkName('org', parts.org, orgIdProblem(parts.org));
  checkName('stream', parts.stream, streamNameProblem(parts.stream));
  if (!isFileStreamType(parts.streamType)) {
    throw AppError.invalidArgument(`unknown stream type ${String(parts.streamType)}`);
  }
  if (!ID_PATTERN.test(parts.id)) throw AppError.invalidArgument(`invalid file id ${parts.id}`);
  const dirs = (parts.partitions ?? []).map(([key, value]) => {
    const safeKey = sanitizePartitionValue(key);
    if (safeKey === '') throw AppError.invalidArgument('empty partition key');
    return `${safeKey}=${sanitizePartitionValue(value)}/`;
  });
  return `${PREFIX}/${parts.org}/${parts.streamType}/${parts.stream}/${hourPath(parts.ts)}/${dirs.join('')}${parts.id}${SUFFIX}`;
}

/** The key of a data file below `files/` (how the ingester lays out its local commit dirs). */
export function relativeFileKey(parts: FileKeyParts): string {
  return fileKey(parts).slice(PREFIX.length + 1);
}

/** Where a file_list row's object lives (the row's columns, not re-checked: they were at write). */
export interface StoredObjectRef {
  org: string;
  type: string;
  stream: string;
  /** `YYYY/MM/DD/HH`. */
  date: string;
  /** Partition dirs and file name. */
  file: string;
}

/** The object key of a file_list row. */
export function storedFileKey(f: StoredObjectRef): string {
  return `${PREFIX}/${f.org}/${f.type}/${f.stream}/${f.date}/${f.file}`;
}

/** Object key of a data file's token index (beside it, `.tokens` instead of `.parquet`). */
export function tokenIndexKey(dataKey: string): string {
  return dataKey.replace(/\.parquet$/, INDEX_SUFFIX);
}

/**
 * Object key of a traces data file's trace-id index (beside it, `.traceids`): the sorted trace
 * ids of its spans, so a trace lookup reads only the files that hold the trace.
 */
export function traceIdIndexKey(dataKey: string): string {
  return dataKey.replace(/\.parquet$/, '.traceids');
}

/**
 * A stored file's objects: the Parquet file and the indexes that may sit beside it (full-text
 * tokens; trace ids for traces streams). Indexes are listed whether or not they exist: deleting
 * a missing key is not an error, and it leaves no orphan when an index was written but its size
 * not recorded.
 */
export function storedObjectKeys(f: StoredObjectRef): string[] {
  const key = storedFileKey(f);
  if (!key.endsWith(SUFFIX)) return [key];
  return f.type === 'traces'
    ? [key, tokenIndexKey(key), traceIdIndexKey(key)]
    : [key, tokenIndexKey(key)];
}

/** Whether `key` lies under the data files prefix (a cheap check before `parseFileKey`). */
export function isDataFileKey(key: string): boolean {
  return key.startsWith(`${PREFIX}/`);
}

/** The parts of a data file key, plus the file_list columns it splits into. */
export function parseFileKey(key: string): ParsedFileKey {
  const segments = key.split('/');
  const invalid = (why: string): AppError =>
    AppError.invalidArgument(`not a data file key (${why}): ${key}`);
  if (segments.length < 9 || segments[0] !== PREFIX) throw invalid('layout');
  const [, org, streamType, stream, year, month, day, hour] = segments as [string, ...string[]];
  const name = segments[segments.length - 1]!;
  if (!isFileStreamType(streamType)) throw invalid('stream type');
  if (org === undefined || stream === undefined || org === '' || stream === '')
    throw invalid('org or stream');
  if (!name.endsWith(SUFFIX)) throw invalid('suffix');
  const id = name.slice(0, -SUFFIX.length);
  if (!ID_PATTERN.test(id)) throw invalid('file id');
  const ts = hourStart(year, month, day, hour);
  if (ts === undefined) throw invalid('date');
  const partitions = segments.slice(8, -1).map((segment): PartitionPair => {
    const eq = segment.indexOf('=');
    if (eq <= 0) throw invalid('partition');
    return [segment.slice(0, eq), segment.slice(eq + 1)];
  });
  return {
    org,
    streamType,
    stream,
    ts,
    partitions,
    id,
    streamKey: `${org}/${streamType}/${stream}`,
    date: segments.slice(4, 8).join('/'),
    file: segments.slice(8).join('/'),
  };
}

function checkName(what: string, value: string, problem: string | undefined): void {
  if (problem !== undefined) {
    throw AppError.invalidArgument(
      `invalid ${what} for a file key: ${JSON.stringify(value)} (${problem})`,
    );
  }
}

function hourPath(ts: number): string {
  if (!Number.isFinite(ts)) throw AppError.invalidArgument(`invalid timestamp ${ts}`);
  const date = new Date(Math.floor(ts / 1000));
  if (Number.isNaN(date.getTime())) throw AppError.invalidArgument(`timestamp out of range ${ts}`);
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${String(date.getUTCFullYear()).padStart(4, '0')}/${pad(date.getUTCMonth() + 1)}/${pad(date.getUTCDate())}/${pad(date.getUTCHours())}`;
}

function hourStart(
  year: string | undefined,
  month: string | undefined,
  day: string | undefined,
  hour: string | undefined,
): number | undefined {
  const fields = [year, month, day, hour];
  if (!fields.every((f) => f !== undefined && /^\d+$/.test(f))) return undefined;
  const [y, m, d, h] = fields.map(Number) as [number, number, number, number];
  const ms = Date.UTC(y, m - 1, d, h);
  const date = new Date(ms);
  if (
    date.getUTCFullYear() !== y ||
    date.getUTCMonth() !== m - 1 ||
    date.getUTCDate() !== d ||
    date.getUTCHours() !== h
  ) {
    return undefined;
  }
  return ms * 1000;
}
