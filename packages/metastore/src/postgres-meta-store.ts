import { postgresMigrations } from './migrations/postgres-migrations.js';
import { SqlMetaStore } from './sql-meta-store.js';
import type { SqlMetaStoreOptions } from './sql-meta-store.js';
import { PostgresDatabase } from './sql/postgres-database.js';

export interface PostgresMetaStoreOptions extends SqlMetaStoreOptions {
  /** `postgres://user:password@host:port/db`; never logged or put in errors. */
  dsn: string;
  /** Pool size; default 10. */
  poolSize?: number;
  connectTimeoutMs?: number;
  /** How long statements are retried while Postgres is unreachable; default 20 s, 0 = never. */
  retryWindowMs?: number;
}

/** Cluster metadata in Postgres through a `pg` pool. */
export class PostgresMetaStore extends SqlMetaStore {
  /** `host:port/db`, safe to log. */
  readonly where: string;
  readonly #db: PostgresDatabase;

  private constructor(db: PostgresDatabase, options: PostgresMetaStoreOptions) {
    super(db, postgresMigrations, options);
    this.#db = db;
    this.where = db.where;
  }

  /** Builds the pool without connecting; `connectPostgresMetaStore` also checks the server. */
  static create(options: PostgresMetaStoreOptions): PostgresMetaStore {
    const db = new PostgresDatabase({
      dsn: options.dsn,
      poolSize: options.poolSize ?? 10,
      ...(options.connectTimeoutMs === undefined
        ? {}
        : { connectTimeoutMs: options.connectTimeoutMs }),
      ...(options.retryWindowMs === undefined ? {} : { retryWindowMs: options.retryWindowMs }),
    });
    return new PostgresMetaStore(db, options);
  }

  /** UNAVAILABLE, naming host and database but never the password, when unreachable. */
  check(): Promise<void> {
    return this.#db.check();
  }
}

/** Builds the Postgres metastore and checks it can reach the server. Does not migrate. */
export async function connectPostgresMetaStore(
  options: PostgresMetaStoreOptions,
): Promise<PostgresMetaStore> {
  const store = PostgresMetaStore.create(options);
  try {
    await store.check();
  } catch (error) {
    await store.close().catch(() => undefined);
    throw error;
  }
  return store;
}
