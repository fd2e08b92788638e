import { sqliteMigrations } from './migrations/sqlite-migrations.js';
import { SqlMetaStore } from './sql-meta-store.js';
import type { SqlMetaStoreOptions } from './sql-meta-store.js';
import { SqliteDatabase } from './sql/sqlite-database.js';

export interface SqliteMetaStoreOptions extends SqlMetaStoreOptions {
  /** Database file, e.g. `{ZO_DATA_DB_DIR}metadata.sqlite`; its directory is created. */
  path: string;
  busyTimeoutMs?: number;
}

/** Single-node metadata in one SQLite file (WAL mode, foreign keys on). */
export class SqliteMetaStore extends SqlMetaStore {
  readonly path: string;

  private constructor(db: SqliteDatabase, options: SqliteMetaStoreOptions) {
    super(db, sqliteMigrations, options);
    this.path = options.path;
  }

  /** Opens (creating if needed) the file. Does not migrate: call `migrate()` next. */
  static open(options: SqliteMetaStoreOptions): SqliteMetaStore {
    const db = new SqliteDatabase({
      path: options.path,
      ...(options.busyTimeoutMs === undefined ? {} : { busyTimeoutMs: options.busyTimeoutMs }),
    });
    return new SqliteMetaStore(db, options);
  }
}

/** Opens the SQLite metastore; UNAVAILABLE when the file can't be opened. */
export function openSqliteMetaStore(options: SqliteMetaStoreOptions): Promise<SqliteMetaStore> {
  return new Promise((resolve) => resolve(SqliteMetaStore.open(options)));
}
