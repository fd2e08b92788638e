import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { AppError } from '@o2/errors';
import { fromEngineError } from './search-error.js';
import { quoteIdent } from './sql-text.js';

/** Idle connections kept; more searches at once open more, which close when they end. */
const MAX_IDLE = 8;

/**
 * Reuses DuckDB connections across searches: opening one costs a thread-pool round trip and
 * some main-thread work on every query. A connection goes back only after a clean end, with
 * the temp views its search made dropped first (off the answer's path), so the next user sees
 * a connection as fresh as a new one; one that failed (an interrupt, an engine error) is closed.
 */
export class ConnectionPool {
  private readonly idle: DuckDBConnection[] = [];
  private closed = false;

  constructor(private readonly instance: DuckDBInstance) {}

  /**
   * Runs `work` on a pooled connection. `views`: the temp views `work` makes, filled in as it
   * goes, read when it ends and dropped before the connection is reused.
   */
  async use<T>(
    work: (conn: DuckDBConnection) => Promise<T>,
    views: readonly string[] = [],
    tables: readonly string[] = [],
  ): Promise<T> {
    const conn = await this.acquire();
    let clean = false;
    try {
      const result = await work(conn);
      clean = true;
      return result;
    } catch (err) {
      throw fromEngineError(err);
    } finally {
      this.release(conn, clean, views, tables);
    }
  }

  async acquire(): Promise<DuckDBConnection> {
    if (this.closed) throw new AppError('UNAVAILABLE', 'search engine is closed');
    return this.idle.pop() ?? (await this.instance.connect());
  }

  /** Returns `conn` for reuse (`clean`: its work ended without error) after dropping `views`. */
  release(
    conn: DuckDBConnection,
    clean: boolean,
    views: readonly string[] = [],
    tables: readonly string[] = [],
  ): void {
    if (!clean || this.closed || this.idle.length >= MAX_IDLE) {
      conn.closeSync();
      return;
    }
    if (views.length === 0 && tables.length === 0) {
      this.idle.push(conn);
      return;
    }
    // Views first: the split path's views read its tables.
    const drops = [
      ...views.map((v) => `DROP VIEW IF EXISTS ${quoteIdent(v)}`),
      ...tables.map((t) => `DROP TABLE IF EXISTS ${quoteIdent(t)}`),
    ].join('; ');
    conn.run(drops).then(
      () => {
        if (this.closed || this.idle.length >= MAX_IDLE) conn.closeSync();
        else this.idle.push(conn);
      },
      () => conn.closeSync(),
    );
  }

  /** Closes the idle connections; the ones in use close as they are released. */
  close(): void {
    this.closed = true;
    for (const conn of this.idle.splice(0)) conn.closeSync();
  }
}
