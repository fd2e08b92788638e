export { ingesterGrpcServer } from './ingester-grpc-server.js';
export type { IngesterGrpcServerDeps } from './ingester-grpc-server.js';
export { RequestIdCache } from './request-id-cache.js';
