import type { MessageInitShape } from '@bufbuild/protobuf';
import type { FileEntry, StreamKind, StreamType } from '@o2/domain';
import type {
  HotDataRequest,
  HotDataRequestSchema,
  HotDataResponse,
  HotDataResponseSchema,
} from '../gen/o2/search/v1/hot_data_pb.js';
import { decodeFileRef, encodeFileRef } from './file-ref.js';
import { decodeScanStats, encodeScanStats } from './scan.js';
import type { ScanRange, ScanReport } from './scan.js';
import { streamKindOf, wireStreamType } from './stream-type.js';

/** `HotDataService.HotData`: one stream's rows an ingester holds in a time range. */
export interface HotDataCall {
  /** '' when the leader names none. */
  queryId: string;
  /** Any type may be sent; an ingester holds only logs, metrics and traces (INVALID_ARGUMENT). */
  ref: { org: string; type: StreamType; name: string };
  range: ScanRange;
  /** Columns to return; empty means every column of the stream schema. */
  columns: readonly string[];
}

export function encodeHotDataRequest(
  call: HotDataCall,
): MessageInitShape<typeof HotDataRequestSchema> {
  return {
    queryId: call.queryId,
    org: call.ref.org,
    streamType: wireStreamType(call.ref.type),
    stream: call.ref.name,
    startTime: BigInt(call.range.startTs),
    endTime: BigInt(call.range.endTs),
    columns: [...call.columns],
  };
}

export function decodeHotDataRequest(
  request: HotDataRequest,
): HotDataCall & { ref: { type: StreamKind } } {
  return {
    queryId: request.queryId,
    ref: { org: request.org, type: streamKindOf(request.streamType), name: request.stream },
    range: { startTs: Number(request.startTime), endTs: Number(request.endTime) },
    columns: [...request.columns],
  };
}

/**
 * The last message of a HotData stream: the files the ingester saw registered (`own`: only its
 * own uploads, complete for `coversMs`, each registered `registeredMsAgo`; see `hot_data.proto`),
 * and its stats.
 */
export function encodeHotDataTail(
  registered: readonly FileEntry[],
  own: { coversMs: number; registeredMsAgo: readonly number[] } | undefined,
  stats: ScanReport,
): MessageInitShape<typeof HotDataResponseSchema> {
  const registeredFiles = registered.map(encodeFileRef);
  const ownUploadsMs = own?.coversMs;
  const registeredMsAgo = (own?.registeredMsAgo ?? []).map((ms) => BigInt(Math.floor(ms)));
  const owned =
    ownUploadsMs === undefined
      ? {}
      : { ownUploads: true, ownUploadsMs: BigInt(Math.floor(ownUploadsMs)) };
  return { registeredFiles, ...owned, registeredMsAgo, stats: encodeScanStats(stats) };
}

/** An ingester's answer: Arrow IPC chunks in order, the files it saw registered, its stats. */
export interface HotDataAnswer {
  chunks: Uint8Array[];
  registered: FileEntry[];
  /**
   * Set when `registered` holds only that ingester's own uploads: the milliseconds back from its
   * snapshot over which it holds them all.
   */
  ownUploadsMs?: number;
  /** With `ownUploadsMs`: per file of `registered`, the milliseconds since its registration. */
  registeredMsAgo?: number[];
  stats?: ScanReport;
}

/** Reads a `HotData` response stream of `ref`'s stream to its end. */
export async function collectHotData(
  ref: { org: string; type: StreamType },
  stream: AsyncIterable<HotDataResponse>,
): Promise<HotDataAnswer> {
  const answer: HotDataAnswer = { chunks: [], registered: [] };
  for await (const message of stream) {
    if (message.arrowIpc.byteLength > 0) answer.chunks.push(message.arrowIpc);
    if (message.registeredFiles.length > 0)
      answer.registered = message.registeredFiles.map((file) => decodeFileRef(ref, file));
    if (message.ownUploads) {
      answer.ownUploadsMs = Number(message.ownUploadsMs);
      answer.registeredMsAgo = message.registeredMsAgo.map(Number);
    }
    if (message.stats !== undefined) answer.stats = decodeScanStats(message.stats);
  }
  return answer;
}
