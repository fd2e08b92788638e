import { orgIdProblem, streamNameProblem } from '@o2/domain';
import { AppError } from '@o2/errors';

export const STREAM_TYPES = [
  'logs',
  'metrics',
  'traces',
  'enrichment_tables',
  'metadata',
  'index',
  'service_graph',
  'file_list',
] as const;

export type StreamType = (typeof STREAM_TYPES)[number];

export type PartitionPair = readonly [key: string, value: string];

export interface FileKeyParts {
  org: string;
  streamType: StreamType;
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
  streamType: StreamType;
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
  if (!STREAM_TYPES.includes(parts.streamType)) {
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

/** The parts of a data file key, plus the file_list columns it splits into. */
export function parseFileKey(key: string): ParsedFileKey {
  const segments = key.split('/');
  const invalid = (why: string): AppError =>
    AppError.invalidArgument(`not a data file key (${why}): ${key}`);
  if (segments.length < 9 || segments[0] !== PREFIX) throw invalid('layout');
  const [, org, streamType, stream, year, month, day, hour] = segments as [string, ...string[]];
  const name = segments[segments.length - 1]!;
  if (!STREAM_TYPES.includes(streamType as StreamType)) throw invalid('stream type');
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
    streamType: streamType as StreamType,
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
