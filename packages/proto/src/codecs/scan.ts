import type { MessageInitShape } from '@bufbuild/protobuf';
import { isFieldType } from '@o2/domain';
import type { FileEntry, StreamKind, StreamType } from '@o2/domain';
import type {
  ScanStats as WireScanStats,
  ScanStatsSchema,
  SearchRequest,
  SearchRequestSchema,
  SearchResponse,
} from '../gen/o2/search/v1/scan_pb.js';
import { AppError } from '@o2/errors';
import { decodeFileRef, encodeFileRef } from './file-ref.js';
import { streamKindOf, wireStreamType } from './stream-type.js';

/** Microseconds, half-open [startTs, endTs). */
export interface ScanRange {
  startTs: number;
  endTs: number;
}

/** What one node did for a query (the wire's `ScanStats`); counts a node does not know are 0. */
export interface ScanReport {
  node: string;
  files: number;
  records: number;
  originalSize: number;
  compressedSize: number;
  tookMs: number;
  prunedFiles: number;
}

/** `ScanService.Search`: the leader's request for the rows of a worker's share of the files. */
export interface ScanCall {
  /** '' when the leader names none. */
  queryId: string;
  org: string;
  /** Any type may be sent; a worker reads only logs, metrics and traces (INVALID_ARGUMENT). */
  type: StreamType;
  sql: string;
  range: ScanRange;
  /** Entries of the call's org and type. */
  files: readonly FileEntry[];
  /**
   * The stream's schema and settings as the leader read them for the query; absent when the
   * leader sent none (the worker reads the metastore then).
   */
  stream?: ScanStream;
  /**
   * Per entry of `files` (same order): the rows a full-text term of the query may be in, as
   * the leader's token index left them; undefined (or absent) reads the whole file.
   */
  rowRanges?: ReadonlyArray<RowRanges | undefined>;
}

/** Half-open [start, end) row ranges of one file, ascending and disjoint. */
export type RowRanges = ReadonlyArray<readonly [number, number]>;

function encodeRowRanges(ranges: RowRanges | undefined): { bounds: bigint[] } {
  return { bounds: (ranges ?? []).flatMap(([start, end]) => [BigInt(start), BigInt(end)]) };
}

/**
 * A file's ranges off the wire, checked: pairs of whole row numbers, each non-empty, ascending,
 * disjoint and within the file's `records` rows. Empty bounds read the whole file (undefined).
 */
function decodeRowRanges(bounds: readonly bigint[], records: number): RowRanges | undefined {
  if (bounds.length === 0) return undefined;
  const bad = () => new AppError('INVALID_ARGUMENT', 'malformed row ranges in scan request');
  if (bounds.length % 2 !== 0) throw bad();
  const ranges: Array<readonly [number, number]> = [];
  let floor = 0;
  for (let i = 0; i < bounds.length; i += 2) {
    const start = Number(bounds[i]);
    const end = Number(bounds[i + 1]);
    if (start < floor || end <= start || end > records) throw bad();
    ranges.push([start, end]);
    floor = end;
  }
  return ranges;
}

/** A stream's schema fields and settings as a leader hands them to its workers. */
export interface ScanStream {
  schema: ReadonlyArray<{ name: string; type: string }>;
  settings: Record<string, unknown>;
}

function decodeScanStream(schemaJson: string, settingsJson: string): ScanStream | undefined {
  if (schemaJson === '') return undefined;
  const bad = () => new AppError('INVALID_ARGUMENT', 'malformed stream schema in scan request');
  let schema: unknown;
  let settings: unknown;
  try {
    schema = JSON.parse(schemaJson);
    settings = settingsJson === '' ? {} : JSON.parse(settingsJson);
  } catch {
    throw bad();
  }
  // Names reach the worker's SQL only quoted, but one holding NUL cannot be quoted at all and a
  // repeated one would bind the view twice: both are refused here as the caller's error.
  const names = new Set<string>();
  const field = (f: unknown): f is { name: string; type: string } => {
    if (typeof f !== 'object' || f === null) return false;
    const { name, type } = f as { name?: unknown; type?: unknown };
    if (typeof name !== 'string' || name.includes('\0') || names.has(name)) return false;
    names.add(name);
    return isFieldType(type);
  };
  if (!Array.isArray(schema) || !schema.every(field)) throw bad();
  if (typeof settings !== 'object' || settings === null || Array.isArray(settings)) throw bad();
  // The one setting a worker reads (its full-text fields), spread as a list of names there.
  const keys = (settings as { full_text_search_keys?: unknown }).full_text_search_keys;
  if (keys !== undefined && !(Array.isArray(keys) && keys.every((k) => typeof k === 'string')))
    throw bad();
  return {
    schema: schema.map((f) => ({ name: f.name, type: f.type })),
    settings: settings as Record<string, unknown>,
  };
}

export function encodeScanStats(stats: ScanReport): MessageInitShape<typeof ScanStatsSchema> {
  return {
    node: stats.node,
    files: BigInt(stats.files),
    records: BigInt(stats.records),
    originalSize: BigInt(stats.originalSize),
    compressedSize: BigInt(stats.compressedSize),
    tookMs: BigInt(stats.tookMs),
    prunedFiles: BigInt(stats.prunedFiles),
  };
}

export function decodeScanStats(stats: WireScanStats): ScanReport {
  return {
    node: stats.node,
    files: Number(stats.files),
    records: Number(stats.records),
    originalSize: Number(stats.originalSize),
    compressedSize: Number(stats.compressedSize),
    tookMs: Number(stats.tookMs),
    prunedFiles: Number(stats.prunedFiles),
  };
}

export function encodeScanRequest(call: ScanCall): MessageInitShape<typeof SearchRequestSchema> {
  return {
    queryId: call.queryId,
    org: call.org,
    streamType: wireStreamType(call.type),
    sql: call.sql,
    startTime: BigInt(call.range.startTs),
    endTime: BigInt(call.range.endTs),
    files: call.files.map(encodeFileRef),
    schemaJson: call.stream === undefined ? '' : JSON.stringify(call.stream.schema),
    settingsJson: call.stream === undefined ? '' : JSON.stringify(call.stream.settings),
    rowRanges: call.rowRanges?.some((r) => r !== undefined)
      ? call.files.map((_, i) => encodeRowRanges(call.rowRanges?.[i]))
      : [],
  };
}

export function decodeScanRequest(request: SearchRequest): ScanCall & { type: StreamKind } {
  const type = streamKindOf(request.streamType);
  const files = request.files.map((file) => decodeFileRef({ org: request.org, type }, file));
  if (request.rowRanges.length > files.length)
    throw new AppError('INVALID_ARGUMENT', 'more row ranges than files in scan request');
  const rowRanges = request.rowRanges.map((r, i) => decodeRowRanges(r.bounds, files[i]!.records));
  const call = {
    queryId: request.queryId,
    org: request.org,
    type,
    sql: request.sql,
    range: { startTs: Number(request.startTime), endTs: Number(request.endTime) },
    files,
    ...(rowRanges.some((r) => r !== undefined) ? { rowRanges } : {}),
  };
  const stream = decodeScanStream(request.schemaJson, request.settingsJson);
  return stream === undefined ? call : { ...call, stream };
}

/** A worker's answer: the Arrow IPC chunks in order, and its stats (sent last). */
export interface ScanAnswer {
  chunks: Uint8Array[];
  /** The `parquet` chunks, in order: one file a partial query's result (see `scan.proto`). */
  parquet: Uint8Array[];
  /** A partial query's result of a few rows as JSON text, instead of `parquet` (see `scan.proto`). */
  partialRows?: Uint8Array;
  stats?: ScanReport;
}

/** Reads a `Search` response stream to its end. */
export async function collectScan(stream: AsyncIterable<SearchResponse>): Promise<ScanAnswer> {
  const answer: ScanAnswer = { chunks: [], parquet: [] };
  for await (const message of stream) {
    if (message.arrowIpc.byteLength > 0) answer.chunks.push(message.arrowIpc);
    if (message.parquet.byteLength > 0) answer.parquet.push(message.parquet);
    if (message.partialRows.byteLength > 0) answer.partialRows = message.partialRows;
    if (message.stats !== undefined) answer.stats = decodeScanStats(message.stats);
  }
  return answer;
}
