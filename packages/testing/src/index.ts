export { freePort, waitForPort } from './free-port.js';
export { makeTempDir } from './temp-dir.js';
export type { TempDir } from './temp-dir.js';
export { TOOL_CACHE_BIN, ensureTool } from './ensure-tool.js';
export type { ToolSpec } from './ensure-tool.js';
export { startMinioServer, type MinioServerHandle } from './minio-server.js';
export { startNatsServer, type NatsServerHandle } from './nats-server.js';
export { startPostgresServer, type PostgresServerHandle } from './postgres-server.js';
