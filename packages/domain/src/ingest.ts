import type { StreamKind } from './stream-types.js';

/**
 * The ingest contract between the router (HTTP) and the ingester role. In a single node the
 * router calls the ingester in-process; in a cluster the same call crosses gRPC. Bodies stay raw
 * bytes until the ingester so decoding runs where the CPU budget for it is (worker threads).
 */
export type IngestFormat =
  | 'json'
  | 'multi'
  | 'bulk'
  /** `POST /{org}/v1/logs|metrics|traces`: OTLP/HTTP (and OTLP/gRPC) export requests. */
  | 'otlp_logs'
  | 'otlp_logs_json'
  | 'otlp_metrics'
  | 'otlp_metrics_json'
  | 'otlp_traces'
  | 'otlp_traces_json'
  /** `POST /{org}/ingest/metrics/_json`: flat metric samples. */
  | 'metrics_json'
  /** `POST /{org}/prometheus/api/v1/write`: snappy-compressed remote-write protobuf. */
  | 'prom_remote_write';

/** The OTLP formats, with the signal and encoding each stands for. */
export const OTLP_FORMATS = {
  otlp_logs: { signal: 'logs', encoding: 'protobuf' },
  otlp_logs_json: { signal: 'logs', encoding: 'json' },
  otlp_metrics: { signal: 'metrics', encoding: 'protobuf' },
  otlp_metrics_json: { signal: 'metrics', encoding: 'json' },
  otlp_traces: { signal: 'traces', encoding: 'protobuf' },
  otlp_traces_json: { signal: 'traces', encoding: 'json' },
} as const satisfies Partial<
  Record<IngestFormat, { signal: StreamKind; encoding: 'protobuf' | 'json' }>
>;

export type OtlpFormat = keyof typeof OTLP_FORMATS;

export function isOtlpFormat(format: IngestFormat): format is OtlpFormat {
  return Object.hasOwn(OTLP_FORMATS, format);
}

/** The OTLP format of a signal in an encoding. */
export function otlpFormatOf(signal: StreamKind, encoding: 'protobuf' | 'json'): OtlpFormat {
  const suffix = encoding === 'json' ? '_json' : '';
  return `otlp_${signal}${suffix}`;
}

export interface IngestRequest {
  org: string;
  /** Target stream for `json`/`multi`; for `bulk` each action names its own (`_index`). */
  stream?: string;
  streamType: StreamKind;
  format: IngestFormat;
  /** The decompressed request body. */
  body: Uint8Array;
  /**
   * The client's `Idempotency-Key`: a retry with the same key (same org) within
   * ZO_INGEST_IDEMPOTENCY_WINDOW gets the first answer and stores nothing.
   */
  idempotencyKey?: string;
}

/** What an `Idempotency-Key` may be: 1–255 visible ASCII characters (no spaces). */
export const IDEMPOTENCY_KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;

/** Why `key` is not a valid `Idempotency-Key`, or undefined when it is. */
export function idempotencyKeyProblem(key: string): string | undefined {
  return IDEMPOTENCY_KEY_PATTERN.test(key)
    ? undefined
    : 'Idempotency-Key must be 1 to 255 visible ASCII characters (letters, digits, punctuation; no spaces)';
}

/** One stream's line of O2's IngestionResponse. */
export interface StreamIngestStatus {
  name: string;
  successful: number;
  failed: number;
  /** The last per-record error, omitted when none. */
  error?: string;
}

/** O2's `{"code":200,"status":[…]}` answer of `_json` and `_multi`. */
export interface IngestionResponse {
  code: number;
  status: StreamIngestStatus[];
}

/** One item of an Elasticsearch bulk response, as O2 answers `_bulk`. */
export interface BulkItem {
  action: 'index' | 'create' | 'update';
  index: string;
  id: string;
  status: number;
  error?: { type: string; reason: string };
  originalRecord?: unknown;
}

export interface BulkResponse {
  took: number;
  errors: boolean;
  items: BulkItem[];
}

/** How many items of an OTLP export were rejected and the last reason (OTLP partial success). */
export interface OtlpExportResult {
  rejected: number;
  errorMessage: string;
}

export interface IngestResult {
  /** For `json`/`multi`/`metrics_json`. */
  response?: IngestionResponse;
  /** For `bulk`. */
  bulk?: BulkResponse;
  /** For the OTLP formats (and remote write): the export's partial success. */
  otlp?: OtlpExportResult;
}

/** What the router needs from an ingester. Overload is an AppError UNAVAILABLE with a retry hint. */
export interface IngestService {
  ingest(request: IngestRequest): Promise<IngestResult>;
}

/** What the ingester holds that is not in storage yet, per stream (for stream stats). */
export interface HotStreamStats {
  org: string;
  type: StreamKind;
  stream: string;
  records: number;
  /** Bytes held (memtables and local Parquet not yet uploaded). */
  bytes: number;
  /** µs; meaningful only when records > 0. */
  minTs: number;
  maxTs: number;
}

/**
 * Adds one piece of held data (a memtable, a local file, a pending table) to its stream's line in
 * `byStream`, keyed by org, type and stream; the time range widens, counts add up.
 */
export function addHotStats(
  byStream: Map<string, HotStreamStats>,
  stream: Pick<HotStreamStats, 'org' | 'type' | 'stream'>,
  held: Pick<HotStreamStats, 'records' | 'bytes' | 'minTs' | 'maxTs'>,
): void {
  const id = `${stream.org}/${stream.type}/${stream.stream}`;
  const current = byStream.get(id) ?? {
    org: stream.org,
    type: stream.type,
    stream: stream.stream,
    records: 0,
    bytes: 0,
    minTs: Infinity,
    maxTs: -Infinity,
  };
  current.records += held.records;
  current.bytes += held.bytes;
  current.minTs = Math.min(current.minTs, held.minTs);
  current.maxTs = Math.max(current.maxTs, held.maxTs);
  byStream.set(id, current);
}

/** Node-level controls of an ingester used by management routes. */
export interface IngesterControl {
  /** Memtables → Parquet → upload + file_list; resolves when all of it is done. */
  flush(): Promise<void>;
  /** Data held in memory or local files, per stream of `org`. */
  hotStats(org: string): Promise<HotStreamStats[]>;
  /**
   * Drops what is held for a deleted stream (memory, local files) by storing it first; the
   * stored files are the compactor's to delete.
   */
  dropStream(org: string, type: StreamKind, stream: string): Promise<void>;
  /** Partitions set aside after failing to persist or upload too often (kept on disk). */
  quarantine(): Promise<QuarantinedPartition[]>;
  /** Why the ingester is degraded (e.g. the object store is unreachable); empty when healthy. */
  degradedReasons(): Promise<string[]>;
}

/**
 * Rows of one partition that failed to become Parquet (`persist`) or to reach storage
 * (`upload`) too many times, moved to the ingester's quarantine directory instead of blocking
 * the others or being dropped.
 */
export interface QuarantinedPartition {
  org: string;
  streamType: StreamKind;
  stream: string;
  /** `YYYY/MM/DD/HH` and the partition-key directories, as storage would name it. */
  partition: string;
  stage: 'persist' | 'upload';
  rows: number;
  bytes: number;
  /** The last failure, short and with secrets masked. */
  error: string;
  attempts: number;
  /** ms since the epoch. */
  firstFailedAt: number;
  quarantinedAt: number;
  /** The entry's directory on the ingester's disk. */
  path: string;
  /** The ingester holding it (cluster listings). */
  node?: string;
}
