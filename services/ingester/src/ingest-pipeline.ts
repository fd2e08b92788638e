import type {
  BulkItem,
  IngestRequest,
  IngestResult,
  OtlpExportResult,
  StreamIngestStatus,
} from '@o2/domain';
import type { PromMetadata } from '@o2/metrics';
import { checkOrgId, resolveStreamName } from '@o2/domain';
import { conformInPlace, toJsonText } from '@o2/schema';
import type { FlatRecord, NormalizeOptions } from '@o2/schema';
import { bodyDocuments } from './decode/decode-body.js';
import type { BodyScan, RawDocument } from './decode/decode-body.js';
import { decodeTelemetry, isTelemetryFormat } from './decode/decode-telemetry.js';
import type { DecodedTelemetry } from './decode/decode-telemetry.js';
import type { LiveRemoteWrite, RemoteWriteSettings } from './decode/decode-remote-write.js';
import type { StreamKey } from './memtable/memtables.js';
import type { WalEntryHeader } from './wal-entry.js';
import { RequestDecoder } from './request-decoder.js';

export interface PipelineSettings {
  allowedUptoHours: number;
  allowedInFutureHours: number;
  flattenLevel: number;
  colsPerRecordLimit: number;
  timestampColumn: string;
  streamNameToLowercase: boolean;
  skipStreamNameFormat: boolean;
  /** `org/type/stream` entries whose records are dropped silently. */
  blockedStreams: ReadonlySet<string>;
  remoteWrite: RemoteWriteSettings;
}

/** Records of one stream that passed normalisation, with their positions in the request. */
export interface StreamBatch {
  key: StreamKey;
  records: FlatRecord[];
  ts: number[];
  docIndexes: number[];
}

/** One document's fate, in request order (what the response is built from). */
export interface DocOutcome {
  stream: string;
  doc: RawDocument;
  error?: string;
  blocked?: boolean;
}

/** Documents of a stream a realtime pipeline reads, as decoded (before flattening). */
export interface DivertedDocs {
  values: unknown[];
  docIndexes: number[];
}

export interface DecodedRequest {
  batches: Map<string, StreamBatch>;
  outcomes: DocOutcome[];
  /** Streams with a realtime pipeline: their documents, left for the pipeline (`applyPipelines`). */
  diverted?: Map<string, DivertedDocs>;
  /** The normalise options of this request, without the stream name (pipelines reuse them). */
  normalize?: Omit<NormalizeOptions, 'streamName'>;
  /** Metrics: `prom_metadata` per stream (keyed like `batches`), stored with the schema. */
  metadata?: Map<string, PromMetadata>;
  /** A `_bulk` body held a delete action (see `walHeaderOf`). */
  bulkDelete?: true;
}

/** A request to decode; `legacyBulkDelete` when it is a v1 WAL entry's body (wal-entry.ts). */
type RequestToDecode = Pick<IngestRequest, 'org' | 'stream' | 'streamType' | 'format' | 'body'> & {
  legacyBulkDelete?: boolean;
};

/**
 * The request's documents: log formats through bodyDocuments (each parsed as it is iterated),
 * telemetry through its decoders (decoded whole).
 */
function documentsOf(
  request: RequestToDecode,
  now: number,
  stream: string | undefined,
  remoteWrite: { settings: RemoteWriteSettings; live: LiveRemoteWrite | undefined },
  scan: BodyScan,
): Omit<DecodedTelemetry, 'docs'> & { docs: Iterable<RawDocument> } {
  const { format } = request;
  if (isTelemetryFormat(format)) return decodeTelemetry(request, format, now, stream, remoteWrite);
  return {
    docs: bodyDocuments(format, request.body, request.legacyBulkDelete === true, scan),
    checkWindow: true,
  };
}

/** A request's documents (not parsed yet, for log formats) and the decoder to feed them to. */
export interface RequestDecoding {
  docs: Iterable<RawDocument>;
  decoder: RequestDecoder;
  metadata: DecodedRequest['metadata'];
}

/**
 * Starts decoding a request (see `decodeRequest`): checks its org and path stream, decodes
 * telemetry bodies, and readies the decoder its documents are fed to.
 */
export function startDecoding(
  request: RequestToDecode,
  now: number,
  settings: PipelineSettings,
  skip: ReadonlySet<number> = new Set(),
  live?: LiveRemoteWrite,
  divert?: ReadonlySet<string>,
): RequestDecoding {
  checkOrgId(request.org);
  const pathStream =
    request.stream === undefined ? undefined : streamNameOf(request.stream, settings);
  const scan: BodyScan = { bulkDelete: false };
  const { docs, metadata, checkWindow } = documentsOf(
    request,
    now,
    pathStream,
    { settings: settings.remoteWrite, live },
    scan,
  );
  const base: Omit<NormalizeOptions, 'streamName'> = {
    nowMicros: now,
    allowedUptoHours: checkWindow ? settings.allowedUptoHours : Infinity,
    allowedInFutureHours: checkWindow ? settings.allowedInFutureHours : Infinity,
    flattenLevel: settings.flattenLevel,
    colsPerRecordLimit: settings.colsPerRecordLimit,
    ...(settings.timestampColumn === '' ? {} : { timestampColumn: settings.timestampColumn }),
  };
  const name = (raw: string): string => streamNameOf(raw, settings);
  const decoder = new RequestDecoder(request, pathStream, base, settings, name, skip, divert, scan);
  return { docs, decoder, metadata };
}

/**
 * Request body → per-stream batches of normalised records, plus each document's outcome.
 * Pure apart from the clock passed in: the WAL replays a request by running this again with
 * the same `now` and the same skipped indexes.
 *
 * Throws INVALID_ARGUMENT for an org id or path stream name no object key can hold (the
 * @o2/domain name rules), before anything is acknowledged or written to the WAL; a bulk
 * item's bad `_index` fails that item alone.
 */
export function decodeRequest(
  request: RequestToDecode,
  now: number,
  settings: PipelineSettings,
  skip: ReadonlySet<number> = new Set(),
  /** Remote write's HA verdicts and pre-read body (first ingest only: a replay follows `skip`). */
  live?: LiveRemoteWrite,
  /** Streams whose documents go to a realtime pipeline instead of being normalised here. */
  divert?: ReadonlySet<string>,
): DecodedRequest {
  const { docs, decoder, metadata } = startDecoding(request, now, settings, skip, live, divert);
  let i = 0;
  for (const doc of docs) decoder.add(doc, i++);
  return decoder.result(metadata);
}

export function streamNameOf(name: string, settings: PipelineSettings): string {
  return resolveStreamName(name, {
    toLowercase: settings.streamNameToLowercase,
    skip: settings.skipStreamNameFormat,
  });
}

/**
 * Casts each record to the stream's stored types; a record whose value can't be cast fails
 * alone (O2's "Failed to cast …") and leaves the batch.
 */
export function conformBatch(
  batch: StreamBatch,
  schema: Parameters<typeof conformInPlace>[1],
  outcomes: DocOutcome[],
): void {
  let kept = 0;
  for (let i = 0; i < batch.records.length; i++) {
    const record = batch.records[i] as FlatRecord;
    const error = conformInPlace(record, schema);
    if (error !== undefined) {
      (outcomes[batch.docIndexes[i] as number] as DocOutcome).error = error;
      continue;
    }
    batch.records[kept] = record;
    batch.ts[kept] = batch.ts[i] as number;
    batch.docIndexes[kept] = batch.docIndexes[i] as number;
    kept++;
  }
  batch.records.length = kept;
  batch.ts.length = kept;
  batch.docIndexes.length = kept;
}

/** Indexes of documents not stored, for the WAL header. */
export function skippedIndexes(outcomes: readonly DocOutcome[]): number[] {
  const skip: number[] = [];
  outcomes.forEach((o, i) => {
    if (o.error !== undefined || o.blocked === true) skip.push(i);
  });
  return skip;
}

/**
 * The WAL header of a decoded request. A `_bulk` body with a delete action is written as v3:
 * an older binary refuses v3 instead of replaying it with its rule for deletes (the line after
 * one skipped); without a delete both rules read the body alike, so it stays v1.
 */
export function walHeaderOf(
  request: IngestRequest,
  now: number,
  decoded: Pick<DecodedRequest, 'outcomes' | 'bulkDelete'>,
): WalEntryHeader {
  const { outcomes } = decoded;
  const header: WalEntryHeader = {
    v: request.format === 'bulk' && decoded.bulkDelete === true ? 3 : 1,
    org: request.org,
    streamType: request.streamType,
    format: request.format,
    now,
    skip: skippedIndexes(outcomes),
  };
  if (request.stream !== undefined) header.stream = request.stream;
  return header;
}

/** O2's answer: `_json`/`_multi` get per-stream counts, `_bulk` gets ES items. */
export function buildResult(
  request: IngestRequest,
  outcomes: readonly DocOutcome[],
  tookMs: number,
): IngestResult {
  if (isTelemetryFormat(request.format) && request.format !== 'metrics_json')
    return { otlp: otlpOutcome(outcomes, request.streamType === 'traces') };
  if (request.format === 'bulk') {
    const items: BulkItem[] = outcomes.map((o) => {
      const item: BulkItem = {
        action: o.doc.action ?? 'index',
        index: o.stream,
        id: o.doc.id ?? '',
        status: o.error === undefined ? 200 : 422,
      };
      if (o.error !== undefined) {
        item.error = { type: 'mapper_parsing_exception', reason: o.error };
        item.originalRecord = echoable(o.doc.value);
      }
      return item;
    });
    return { bulk: { took: tookMs, errors: items.some((i) => i.status !== 200), items } };
  }
  const byStream = new Map<string, StreamIngestStatus>();
  for (const o of outcomes) {
    if (o.blocked === true) continue;
    let status = byStream.get(o.stream);
    if (status === undefined) {
      status = { name: o.stream, successful: 0, failed: 0 };
      byStream.set(o.stream, status);
    }
    if (o.error === undefined) status.successful++;
    else {
      status.failed++;
      status.error = o.error;
    }
  }
  if (byStream.size === 0 && request.stream !== undefined) {
    // An empty array still answers for the stream it was sent to.
    const name = outcomes[0]?.stream ?? request.stream;
    byStream.set(name, { name, successful: 0, failed: 0 });
  }
  return { response: { code: 200, status: [...byStream.values()] } };
}

/** An OTLP export's partial success: the rejected documents and the last reason. */
function otlpOutcome(outcomes: readonly DocOutcome[], traces: boolean): OtlpExportResult {
  let rejected = 0;
  let errorMessage = '';
  for (const o of outcomes) {
    if (o.error === undefined) continue;
    rejected++;
    errorMessage = o.error;
  }
  // O2 names spans outside the ingest window with its own sentence (O2-CONTRACT §9.1).
  if (traces && /^Too (old|far) data/.test(errorMessage)) errorMessage = SPANS_OUT_OF_WINDOW;
  return { rejected, errorMessage };
}

const SPANS_OUT_OF_WINDOW =
  'Some spans were rejected due to exceeding the allowed retention period';

/** Deeper than this, a failed bulk document is echoed as its JSON text (see `echoable`). */
const MAX_ECHO_DEPTH = 1000;

/**
 * A failed bulk document as `originalRecord`. The response and the gRPC reply serialise it
 * with the recursive `JSON.stringify`, which overflows the stack on very deep documents; those
 * go back as their JSON text (written iteratively) instead of failing the whole answer.
 */
function echoable(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  const stack: Array<{ v: object; depth: number }> = [{ v: value, depth: 1 }];
  while (stack.length > 0) {
    const { v, depth } = stack.pop() as { v: object; depth: number };
    if (depth > MAX_ECHO_DEPTH) return toJsonText(value);
    for (const child of Object.values(v) as unknown[]) {
      if (typeof child === 'object' && child !== null) stack.push({ v: child, depth: depth + 1 });
    }
  }
  return value;
}
