export { createIngester } from './app.js';
export type { Ingester, IngesterDeps } from './app.js';
export { FILE_ADDED_TOPIC } from './persist/uploader.js';
export { SCHEMA_CHANGED_TOPIC } from './stream-schemas.js';
export { ingesterGrpcServer } from './grpc/index.js';
