import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import type { Config } from '@o2/config';
import { AppError } from '@o2/errors';
import type { MetaStore } from './meta-store.js';
import { connectPostgresMetaStore } from './postgres-meta-store.js';
import { openSqliteMetaStore } from './sqlite-meta-store.js';

export type MetaStoreConfig = Pick<
  Config,
  'ZO_META_STORE' | 'ZO_DATA_DB_DIR' | 'ZO_META_POSTGRES_DSN' | 'ZO_META_CONNECTION_POOL_MAX_SIZE'
>;

/** File name of the SQLite metastore inside ZO_DATA_DB_DIR. */
export const SQLITE_FILE_NAME = 'metadata.sqlite';

/** O2's pool default: 0 means 2 × CPU, at least 10. */
export function postgresPoolSize(configured: number): number {
  return configured > 0 ? configured : Math.max(10, 2 * availableParallelism());
}

/**
 * The metastore the config asks for, opened (SQLite) or connected and checked (Postgres).
 * Migrations are the caller's next step (`await store.migrate()`), so a process can refuse
 * to start on a newer schema before it serves anything.
 */
export async function createMetaStore(config: MetaStoreConfig): Promise<MetaStore> {
  switch (config.ZO_META_STORE) {
    case 'sqlite':
      return openSqliteMetaStore({ path: join(config.ZO_DATA_DB_DIR, SQLITE_FILE_NAME) });
    case 'postgres':
      if (config.ZO_META_POSTGRES_DSN === '') {
        throw AppError.invalidArgument(
          'ZO_META_POSTGRES_DSN is required when ZO_META_STORE=postgres',
        );
      }
      return connectPostgresMetaStore({
        dsn: config.ZO_META_POSTGRES_DSN,
        poolSize: postgresPoolSize(config.ZO_META_CONNECTION_POOL_MAX_SIZE),
      });
  }
}
