import type { MessageInitShape } from '@bufbuild/protobuf';
import type { HotStreamStats, QuarantinedPartition, StreamKind } from '@o2/domain';
import { isStreamKind } from '@o2/domain';
import type {
  InfoResponse,
  InfoResponseSchema,
  QuarantinedPartition as WireQuarantinedPartition,
  QuarantinedPartitionSchema,
  StreamHotStats,
  StreamHotStatsSchema,
} from '../gen/o2/node/v1/node_pb.js';

/** What `NodeService.Info` says about a node (its registration plus the binary's version). */
export interface NodeIdentity {
  name: string;
  roles: readonly string[];
  version: string;
  httpAddr: string;
  grpcAddr: string;
  /** ms since the epoch. */
  startedAt: number;
}

export function encodeNodeInfo(node: NodeIdentity): MessageInitShape<typeof InfoResponseSchema> {
  return {
    name: node.name,
    roles: [...node.roles],
    version: node.version,
    httpAddr: node.httpAddr,
    grpcAddr: node.grpcAddr,
    startedAt: BigInt(node.startedAt),
  };
}

export function decodeNodeInfo(info: InfoResponse): NodeIdentity {
  return {
    name: info.name,
    roles: [...info.roles],
    version: info.version,
    httpAddr: info.httpAddr,
    grpcAddr: info.grpcAddr,
    startedAt: Number(info.startedAt),
  };
}

// node.proto carries stream types as text; a peer's type this version does not know is read as
// logs, the default stream type, rather than failing a whole listing.
const kindOf = (value: string): StreamKind => (isStreamKind(value) ? value : 'logs');

/**
 * One stream's hot stats. Bytes are whole on the wire, and an empty stream's open range
 * (±Infinity, see addHotStats) travels as 0..0 — meaningless when records is 0 anyway.
 */
export function encodeHotStreamStats(
  stats: HotStreamStats,
): MessageInitShape<typeof StreamHotStatsSchema> {
  return {
    streamType: stats.type,
    stream: stats.stream,
    records: BigInt(stats.records),
    bytes: BigInt(Math.round(stats.bytes)),
    minTs: BigInt(Number.isFinite(stats.minTs) ? stats.minTs : 0),
    maxTs: BigInt(Number.isFinite(stats.maxTs) ? stats.maxTs : 0),
  };
}

/** The org is the request's: `HotStats` answers for one org. */
export function decodeHotStreamStats(org: string, stats: StreamHotStats): HotStreamStats {
  return {
    org,
    type: kindOf(stats.streamType),
    stream: stats.stream,
    records: Number(stats.records),
    bytes: Number(stats.bytes),
    minTs: Number(stats.minTs),
    maxTs: Number(stats.maxTs),
  };
}

/** The holding node is the peer that answered, so `node` does not travel. */
export function encodeQuarantinedPartition(
  entry: QuarantinedPartition,
): MessageInitShape<typeof QuarantinedPartitionSchema> {
  return {
    org: entry.org,
    streamType: entry.streamType,
    stream: entry.stream,
    partition: entry.partition,
    stage: entry.stage,
    rows: BigInt(entry.rows),
    bytes: BigInt(entry.bytes),
    error: entry.error,
    attempts: BigInt(entry.attempts),
    firstFailedAt: BigInt(entry.firstFailedAt),
    quarantinedAt: BigInt(entry.quarantinedAt),
    path: entry.path,
  };
}

/** `node` names the ingester that answered with the entry. */
export function decodeQuarantinedPartition(
  entry: WireQuarantinedPartition,
  node: string,
): QuarantinedPartition {
  return {
    org: entry.org,
    streamType: kindOf(entry.streamType),
    stream: entry.stream,
    partition: entry.partition,
    stage: entry.stage === 'persist' ? 'persist' : 'upload',
    rows: Number(entry.rows),
    bytes: Number(entry.bytes),
    error: entry.error,
    attempts: Number(entry.attempts),
    firstFailedAt: Number(entry.firstFailedAt),
    quarantinedAt: Number(entry.quarantinedAt),
    path: entry.path,
    node,
  };
}
