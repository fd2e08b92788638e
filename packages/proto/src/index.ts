// Generated message types, schemas and service descriptors for the internal gRPC services.
// Everything under gen/ comes from proto/ (`pnpm --filter @o2/proto generate`): never edit it.
export * from './gen/o2/common/v1/stream_pb.js';
export * from './gen/o2/ingest/v1/ingest_pb.js';
export * from './gen/o2/search/v1/search_pb.js';
export * from './gen/o2/node/v1/node_pb.js';
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
// Hand-written conversions between the wire enums and O2TS's names, shared by every service.
export { streamKindOf, wireStreamType } from './stream-kind.js';
export type { StreamTypeName } from './stream-kind.js';
