import { AppError } from '@o2/errors';

/**
 * The one definition of O2's stream types. Every package that names a stream type (metastore
 * rows, wire enums, object keys, route parameters, SQL qualifiers) takes it from here, so adding
 * a type is one edit.
 */
export const STREAM_TYPES = [
  'logs',
  'metrics',
  'traces',
  'enrichment_tables',
  'metadata',
  'index',
] as const;

export type StreamType = (typeof STREAM_TYPES)[number];

/** The types records are ingested into and searched in (the others are O2's internal ones). */
export const STREAM_KINDS = ['logs', 'metrics', 'traces'] as const satisfies readonly StreamType[];

export type StreamKind = (typeof STREAM_KINDS)[number];

/**
 * Types a data file's object key may name: the stream types plus O2's storage-only ones, so a
 * key O2 wrote for them still parses.
 */
export const FILE_STREAM_TYPES = [...STREAM_TYPES, 'service_graph', 'file_list'] as const;

export type FileStreamType = (typeof FILE_STREAM_TYPES)[number];

/** A stream, addressed as the metastore and the routes address it. */
export interface StreamRef {
  org: string;
  type: StreamType;
  name: string;
}

export function isStreamType(value: unknown): value is StreamType {
  return (STREAM_TYPES as readonly unknown[]).includes(value);
}

export function isStreamKind(value: unknown): value is StreamKind {
  return (STREAM_KINDS as readonly unknown[]).includes(value);
}

export function isFileStreamType(value: unknown): value is FileStreamType {
  return (FILE_STREAM_TYPES as readonly unknown[]).includes(value);
}

/** `value` as an ingestible/searchable kind; INVALID_ARGUMENT `unknown stream type …` if not. */
export function parseStreamKind(value: string): StreamKind {
  if (isStreamKind(value)) return value;
  throw AppError.invalidArgument(`unknown stream type ${value}`);
}
