export { createIngester } from './app.js';
export type { Ingester, IngesterDeps } from './app.js';
// The topics are @o2/domain's; re-exported so existing callers keep their import.
export { FILE_ADDED_TOPIC, SCHEMA_CHANGED_TOPIC } from '@o2/domain';
export { ingesterGrpcServer } from './grpc/index.js';
