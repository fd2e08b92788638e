// Generated message types, schemas and service descriptors for the internal gRPC services.
// Everything under gen/ comes from proto/ (`pnpm --filter @o2/proto generate`): never edit it.
export * from './gen/o2/common/v1/stream_pb.js';
export * from './gen/o2/ingest/v1/ingest_pb.js';
export * from './gen/o2/ingest/v1/tail_pb.js';
export * from './gen/o2/search/v1/query_pb.js';
export * from './gen/o2/search/v1/scan_pb.js';
export * from './gen/o2/search/v1/hot_data_pb.js';
export * from './gen/o2/node/v1/node_pb.js';
export * from './gen/o2/promql/v1/promql_pb.js';
export * from './gen/grpc/health/v1/health_pb.js';
// OTLP (vendored opentelemetry-proto, see proto/opentelemetry/README.md).
export * from './gen/opentelemetry/proto/common/v1/common_pb.js';
export * from './gen/opentelemetry/proto/resource/v1/resource_pb.js';
export * from './gen/opentelemetry/proto/logs/v1/logs_pb.js';
export * from './gen/opentelemetry/proto/metrics/v1/metrics_pb.js';
export * from './gen/opentelemetry/proto/trace/v1/trace_pb.js';
export * from './gen/opentelemetry/proto/collector/logs/v1/logs_service_pb.js';
export * from './gen/opentelemetry/proto/collector/metrics/v1/metrics_service_pb.js';
export * from './gen/opentelemetry/proto/collector/trace/v1/trace_service_pb.js';
// Prometheus remote write: `prometheus.WriteRequestSchema`, `prometheus.TimeSeries`, …
export * as prometheus from './prometheus.js';
// Hand-written codecs between the wire messages and @o2/domain's vocabulary: the one place a
// message is built from, or read into, domain values (each with a round-trip test).
export { streamKindOf, streamTypeOf, wireStreamType } from './codecs/stream-type.js';
export type { StreamTypeName } from './codecs/stream-type.js';
export {
  decodeIngestFormat,
  decodeIngestRequest,
  encodeIngestFormat,
  encodeIngestRequest,
} from './codecs/ingest-request.js';
export type { IngestCall } from './codecs/ingest-request.js';
export { decodeIngestResult, encodeIngestResult } from './codecs/ingest-result.js';
export {
  decodeAroundQuery,
  decodeSearchQuery,
  decodeValuesQuery,
  encodeAroundQuery,
  encodeSearchQuery,
  encodeValuesQuery,
} from './codecs/search-queries.js';
export {
  decodeAroundRequest,
  decodeQueryRequest,
  decodeResponseBody,
  decodeValuesRequest,
  encodeAroundRequest,
  encodeQueryRequest,
  encodeResponseBody,
  encodeValuesRequest,
} from './codecs/query-requests.js';
export type { OrgQuery, StreamQuery } from './codecs/query-requests.js';
export { decodeFileRef, encodeFileRef } from './codecs/file-ref.js';
export type { FileRefScope } from './codecs/file-ref.js';
export {
  collectScan,
  decodeScanRequest,
  decodeScanStats,
  encodeScanRequest,
  encodeScanStats,
} from './codecs/scan.js';
export type {
  RowRanges,
  ScanAnswer,
  ScanCall,
  ScanRange,
  ScanReport,
  ScanStream,
} from './codecs/scan.js';
export {
  collectHotData,
  decodeHotDataRequest,
  encodeHotDataRequest,
  encodeHotDataTail,
} from './codecs/hot-data.js';
export type { HotDataAnswer, HotDataCall } from './codecs/hot-data.js';
export { ARROW_CHUNK_BYTES, arrowChunks } from './codecs/arrow-chunks.js';
export {
  decodeHotStreamStats,
  decodeNodeInfo,
  decodeQuarantinedPartition,
  encodeHotStreamStats,
  encodeNodeInfo,
  encodeQuarantinedPartition,
} from './codecs/node.js';
export type { NodeIdentity } from './codecs/node.js';
export {
  decodeExemplarsRequest,
  decodeInstantQuery,
  decodeLabelValuesRequest,
  decodeMetadataRequest,
  decodePromAnswer,
  decodeRangeQuery,
  decodeSeriesSelection,
  encodeExemplarsRequest,
  encodeInstantQuery,
  encodeLabelValuesRequest,
  encodeMetadataRequest,
  encodePromAnswer,
  encodeRangeQuery,
  encodeSeriesSelection,
} from './codecs/promql.js';
export type { PromCall } from './codecs/promql.js';
export {
  decodeTailRequest,
  decodeTailRows,
  encodeTailRequest,
  encodeTailRows,
} from './codecs/tail.js';
export type { TailCall, TailRows } from './codecs/tail.js';
