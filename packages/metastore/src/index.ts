export type * from './meta-store.js';
export { createMetaStore, postgresPoolSize, SQLITE_FILE_NAME } from './create-meta-store.js';
export type { MetaStoreConfig } from './create-meta-store.js';
export { openSqliteMetaStore, SqliteMetaStore } from './sqlite-meta-store.js';
export type { SqliteMetaStoreOptions } from './sqlite-meta-store.js';
export { connectPostgresMetaStore, PostgresMetaStore } from './postgres-meta-store.js';
export type { PostgresMetaStoreOptions } from './postgres-meta-store.js';
export type { SqlMetaStoreOptions } from './sql-meta-store.js';
export { DEFAULT_FOLDER_ID, FOLDER_TYPES } from './dashboard-store.js';
