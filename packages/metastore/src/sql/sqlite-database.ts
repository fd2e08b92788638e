import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import Database from 'better-sqlite3';
import type { Statement } from 'better-sqlite3';
import { AppError, isAppError } from '@o2/errors';
import type { SqlDatabase, SqlExecutor, SqlRow, SqlValue } from './sql-database.js';

export interface SqliteDatabaseOptions {
  /** File path; its directory is created. `:memory:` works too. */
  path: string;
  /** How long a writer waits for another process's write lock before giving up. */
  busyTimeoutMs?: number;
}

interface Prepared {
  statement: Statement<unknown[], SqlRow>;
  /** For each `?` in order, the index of the `$n` parameter it stands for. */
  order: number[];
}

/**
 * One operation queue per database file and process. better-sqlite3 waits for another
 * connection's lock synchronously (busy_timeout), which blocks the event loop; if two
 * connections of one process interleaved, the holder could never finish and the waiter would
 * time out. Sharing the queue makes them take turns instead.
 */
interface SharedQueue {
  tail: Promise<unknown>;
  users: number;
}
const queues = new Map<string, SharedQueue>();

function acquireQueue(key: string): SharedQueue {
  let queue = queues.get(key);
  if (queue === undefined) {
    queue = { tail: Promise.resolve(), users: 0 };
    queues.set(key, queue);
  }
  queue.users++;
  return queue;
}

function translateError(error: unknown): AppError {
  if (isAppError(error)) return error;
  const code = (error as { code?: unknown }).code;
  const message = error instanceof Error ? error.message : String(error);
  if (code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY') {
    return new AppError('ALREADY_EXISTS', message, { cause: error });
  }
  if (code === 'SQLITE_CONSTRAINT_FOREIGNKEY') {
    return new AppError('NOT_FOUND', 'a referenced row does not exist', { cause: error });
  }
  if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED') {
    return new AppError('UNAVAILABLE', 'metadata database is busy', {
      cause: error,
      retryAfterSeconds: 1,
    });
  }
  return AppError.internal(`sqlite: ${message}`, error);
}

/**
 * better-sqlite3 behind the async SqlExecutor interface. The driver is synchronous and has one
 * connection, so an open transaction would otherwise see statements of unrelated callers that
 * run while it awaits; every operation therefore goes through a queue (shared by all
 * connections to the same file in this process), and a transaction holds the queue until it
 * commits.
 */
export class SqliteDatabase implements SqlDatabase {
  readonly dialect = 'sqlite' as const;
  readonly #db: Database.Database;
  readonly #prepared = new Map<string, Prepared>();
  readonly #queueKey: string;
  readonly #queue: SharedQueue;
  #closed = false;
  /** Runs statements at once; only handed to code that already holds the queue. */
  readonly #direct: SqlExecutor;

  constructor(options: SqliteDatabaseOptions) {
    const inMemory = options.path === ':memory:';
    if (!inMemory) mkdirSync(dirname(options.path), { recursive: true });
    this.#queueKey = inMemory ? `:memory:${Math.random()}` : resolve(options.path);
    this.#queue = acquireQueue(this.#queueKey);
    try {
      this.#db = new Database(options.path, { timeout: options.busyTimeoutMs ?? 5000 });
      this.#db.pragma('journal_mode = WAL');
      // WAL + NORMAL never corrupts; it may lose the last commits on power loss, not on a crash.
      this.#db.pragma('synchronous = NORMAL');
      this.#db.pragma('foreign_keys = ON');
      // The -wal file counts against the node's disk footprint: SQLite's default lets it reach
      // ~4 MB (1000 pages) and never shrinks it. Checkpointing every 64 pages (256 KB) and
      // truncating the file back to 64 KB after each checkpoint keeps it small; the file list's
      // writes are few and small, so the extra checkpoints cost next to nothing.
      this.#db.pragma('wal_autocheckpoint = 64');
      this.#db.pragma('journal_size_limit = 65536');
    } catch (error) {
      this.#release();
      throw new AppError('UNAVAILABLE', `cannot open SQLite metadata at ${options.path}`, {
        cause: error,
      });
    }
    // A failing statement is a rejected promise (as on Postgres), never a synchronous throw
    // that would slip past a caller's `recode(tx.run(…))`.
    const settle = <T>(fn: () => T): Promise<T> => new Promise((done) => done(fn()));
    this.#direct = {
      dialect: this.dialect,
      all: (sql, params) => settle(() => this.#all(sql, params)),
      run: (sql, params) => settle(() => this.#run(sql, params)),
      exec: (script) => settle(() => this.#exec(script)),
    };
  }

  all(sql: string, params?: readonly SqlValue[]): Promise<SqlRow[]> {
    return this.#queued(() => this.#all(sql, params));
  }

  run(sql: string, params?: readonly SqlValue[]): Promise<number> {
    return this.#queued(() => this.#run(sql, params));
  }

  exec(script: string): Promise<void> {
    return this.#queued(() => this.#exec(script));
  }

  transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    return this.#queued(async () => {
      // IMMEDIATE takes the write lock up front, so two processes can't both read and then
      // deadlock upgrading to write.
      this.#exec('BEGIN IMMEDIATE');
      try {
        const result = await fn(this.#direct);
        this.#exec('COMMIT');
        return result;
      } catch (error) {
        if (this.#db.inTransaction) this.#db.exec('ROLLBACK');
        throw error;
      }
    });
  }

  close(): Promise<void> {
    return this.#queued(() => {
      if (this.#closed) return;
      this.#closed = true;
      this.#prepared.clear();
      this.#db.close();
      this.#release();
    }, 'run');
  }

  #release(): void {
    if (--this.#queue.users === 0) queues.delete(this.#queueKey);
  }

  #queued<T>(task: () => T | Promise<T>, whenClosed: 'fail' | 'run' = 'fail'): Promise<T> {
    const result = this.#queue.tail.then(() => {
      if (this.#closed && whenClosed === 'fail') {
        throw new AppError('UNAVAILABLE', 'metadata store is closed');
      }
      return task();
    });
    this.#queue.tail = result.catch(() => undefined);
    return result;
  }

  #prepare(sql: string): Prepared {
    let prepared = this.#prepared.get(sql);
    if (prepared === undefined) {
      const order: number[] = [];
      const rewritten = sql.replace(/\$(\d+)/g, (_, n: string) => {
        order.push(Number(n) - 1);
        return '?';
      });
      prepared = { statement: this.#db.prepare<unknown[], SqlRow>(rewritten), order };
      this.#prepared.set(sql, prepared);
    }
    return prepared;
  }

  #bind(prepared: Prepared, params: readonly SqlValue[] = []): unknown[] {
    return prepared.order.map((i) => {
      const value = params[i];
      if (value === undefined) throw AppError.internal(`sqlite: missing parameter $${i + 1}`);
      return typeof value === 'boolean' ? Number(value) : value;
    });
  }

  #all(sql: string, params?: readonly SqlValue[]): SqlRow[] {
    try {
      const prepared = this.#prepare(sql);
      const args = this.#bind(prepared, params);
      if (!prepared.statement.reader) {
        prepared.statement.run(...args);
        return [];
      }
      return prepared.statement.all(...args);
    } catch (error) {
      throw translateError(error);
    }
  }

  #run(sql: string, params?: readonly SqlValue[]): number {
    try {
      const prepared = this.#prepare(sql);
      const args = this.#bind(prepared, params);
      if (prepared.statement.reader) return prepared.statement.all(...args).length;
      return prepared.statement.run(...args).changes;
    } catch (error) {
      throw translateError(error);
    }
  }

  #exec(script: string): void {
    try {
      this.#db.exec(script);
    } catch (error) {
      throw translateError(error);
    }
  }
}
