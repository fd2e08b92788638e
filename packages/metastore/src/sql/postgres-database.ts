import pg from 'pg';
import type { PoolClient } from 'pg';
import { AppError, isAppError } from '@o2/errors';
import type { SqlDatabase, SqlExecutor, SqlRow, SqlValue } from './sql-database.js';
import { retryTransient } from './transient-retry.js';

export interface PostgresDatabaseOptions {
  /** `postgres://user:password@host:port/db`; the password never appears in errors. */
  dsn: string;
  poolSize: number;
  connectTimeoutMs?: number;
  /**
   * How long a statement or transaction keeps being retried while Postgres is unreachable
   * (restarting, failing over) before UNAVAILABLE reaches the caller. Default 20 s; 0 = no retry.
   */
  retryWindowMs?: number;
}

const DEFAULT_RETRY_WINDOW_MS = 20_000;

/** SQLSTATE classes and socket errors that mean "the server is not reachable right now". */
const UNAVAILABLE_CODES = new Set([
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now
  '53300', // too_many_connections
  '40001', // serialization_failure: retrying is the documented remedy
  '40P01', // deadlock_detected: same
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'EPIPE',
]);

function closedError(): AppError {
  return new AppError('UNAVAILABLE', 'metadata store is closed');
}

function errorCode(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : '';
}

/** `host:port/db` for messages, from a DSN that may carry a password. */
export function describeDsn(dsn: string): string {
  try {
    const url = new URL(dsn);
    const db = decodeURIComponent(url.pathname.replace(/^\//, '')) || '(default database)';
    return `${url.hostname || 'localhost'}:${url.port || '5432'}/${db}`;
  } catch {
    return 'the configured Postgres (unparseable DSN)';
  }
}

function dsnPassword(dsn: string): string {
  try {
    return decodeURIComponent(new URL(dsn).password);
  } catch {
    return '';
  }
}

/** pg's Pool behind the SqlExecutor interface; errors translated, the password scrubbed. */
export class PostgresDatabase implements SqlDatabase {
  readonly dialect = 'postgres' as const;
  /** `host:port/db`, safe to log. */
  readonly where: string;
  readonly #pool: pg.Pool;
  readonly #password: string;
  readonly #retryWindowMs: number;
  #closed = false;

  constructor(options: PostgresDatabaseOptions) {
    this.where = describeDsn(options.dsn);
    this.#password = dsnPassword(options.dsn);
    this.#retryWindowMs = options.retryWindowMs ?? DEFAULT_RETRY_WINDOW_MS;
    this.#pool = new pg.Pool({
      connectionString: options.dsn,
      max: options.poolSize,
      connectionTimeoutMillis: options.connectTimeoutMs ?? 10_000,
      idleTimeoutMillis: 30_000,
    });
    // An idle client that loses its connection emits here; without a listener the process
    // would crash. The pool drops that client and the next query opens a new one.
    this.#pool.on('error', () => undefined);
  }

  /** Fails with UNAVAILABLE (naming host and database, never the password) when unreachable. */
  async check(): Promise<void> {
    try {
      await this.#pool.query('SELECT 1');
    } catch (error) {
      throw new AppError(
        'UNAVAILABLE',
        `cannot connect to Postgres at ${this.where}: ${this.#message(error)}`,
        { cause: error, retryAfterSeconds: 1 },
      );
    }
  }

  all(sql: string, params?: readonly SqlValue[]): Promise<SqlRow[]> {
    return this.#retrying(() => this.#query(this.#pool, sql, params)).then((r) => r.rows);
  }

  run(sql: string, params?: readonly SqlValue[]): Promise<number> {
    return this.#retrying(() => this.#query(this.#pool, sql, params)).then((r) => r.rowCount ?? 0);
  }

  async exec(script: string): Promise<void> {
    await this.#retrying(() => this.#query(this.#pool, script, undefined));
  }

  /**
   * A connection lost before COMMIT rolls the transaction back, so the whole of `fn` is run
   * again on a new connection (fn must only touch the database through `tx`).
   */
  transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    return this.#retrying(() => this.#transactionOnce(fn));
  }

  async #transactionOnce<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    let client: PoolClient;
    if (this.#closed) throw closedError();
    try {
      client = await this.#pool.connect();
    } catch (error) {
      throw this.translate(error);
    }
    const tx: SqlExecutor = {
      dialect: this.dialect,
      all: (sql, params) => this.#query(client, sql, params).then((r) => r.rows),
      run: (sql, params) => this.#query(client, sql, params).then((r) => r.rowCount ?? 0),
      exec: (script) => this.#query(client, script, undefined).then(() => undefined),
    };
    try {
      await tx.exec('BEGIN');
      const result = await fn(tx);
      await tx.exec('COMMIT');
      client.release();
      return result;
    } catch (error) {
      try {
        await client.query('ROLLBACK');
        client.release();
      } catch (rollbackError) {
        // The connection is in an unknown state; destroy it rather than return it to the pool.
        client.release(rollbackError instanceof Error ? rollbackError : true);
      }
      throw this.translate(error);
    }
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#pool.end();
  }

  translate(error: unknown): AppError {
    if (isAppError(error)) return error;
    const code = errorCode(error);
    const message = this.#message(error);
    if (code === '23505') return new AppError('ALREADY_EXISTS', message, { cause: error });
    if (code === '23503') {
      return new AppError('NOT_FOUND', 'a referenced row does not exist', { cause: error });
    }
    if (
      UNAVAILABLE_CODES.has(code) ||
      code.startsWith('08') ||
      /timeout exceeded when trying to connect|Connection terminated/i.test(message)
    ) {
      return new AppError('UNAVAILABLE', `Postgres at ${this.where}: ${message}`, {
        cause: error,
        retryAfterSeconds: 1,
      });
    }
    return AppError.internal(`postgres: ${message}`, error);
  }

  /** Retries connection failures (a Postgres restart) with capped backoff within the window. */
  #retrying<T>(work: () => Promise<T>): Promise<T> {
    return retryTransient(work, {
      windowMs: this.#retryWindowMs,
      shouldRetry: () => !this.#closed,
    });
  }

  /** The error's text with the password scrubbed (a server may echo connection parameters). */
  #message(error: unknown): string {
    let raw = error instanceof Error ? error.message : String(error);
    // Node reports a refused dual-stack connect as an AggregateError with an empty message.
    if (raw === '' && error instanceof AggregateError) {
      raw = error.errors
        .map((e: unknown) => (e instanceof Error ? e.message : String(e)))
        .join('; ');
    }
    if (raw === '') raw = errorCode(error) || 'unknown error';
    return this.#password === '' ? raw : raw.split(this.#password).join('***');
  }

  async #query(
    on: pg.Pool | PoolClient,
    sql: string,
    params: readonly SqlValue[] | undefined,
  ): Promise<pg.QueryResult<SqlRow>> {
    if (this.#closed) throw closedError();
    try {
      // Without values pg uses the simple protocol, which allows multi-statement scripts.
      return params === undefined || params.length === 0
        ? await on.query<SqlRow>(sql)
        : await on.query<SqlRow>(sql, [...params]);
    } catch (error) {
      throw this.translate(error);
    }
  }
}
