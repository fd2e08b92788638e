export { createGrpcServer, DEFAULT_MAX_MESSAGE_BYTES } from './grpc-server.js';
export type { GrpcServer, GrpcServerOptions } from './grpc-server.js';
export { createGrpcClient, DEFAULT_TIMEOUT_MS } from './grpc-client.js';
export type { GrpcClient, GrpcClientOptions } from './grpc-client.js';
export { PeerClientPool } from './peer-client-pool.js';
export type { PeerClientPoolOptions } from './peer-client-pool.js';
export { DEFAULT_RETRY_POLICY, isIdempotent, retryDelayMs } from './retry-policy.js';
export type { RetryPolicy } from './retry-policy.js';
export {
  ERROR_CODE_KEY,
  ERROR_DETAILS_KEY,
  RETRY_AFTER_KEY,
  SEARCH_CODE_KEY,
  fromGrpcStatus,
  toGrpcStatus,
} from './grpc-error.js';
export { ServingStatus } from './health-service.js';
export { methodPath, serviceDefinition } from './service-definition.js';
export type {
  CallContext,
  CallOptions,
  RawServiceImpl,
  ServiceClient,
  ServiceImpl,
} from './service-types.js';
