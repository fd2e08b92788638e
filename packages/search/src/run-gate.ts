import type { DuckDBConnection } from '@duckdb/node-api';

export type StatementResult = Awaited<ReturnType<DuckDBConnection['run']>>;

/**
 * A FIFO limit on how many statements scan at once. Why: every running DuckDB statement holds
 * one of libuv's 4 pool threads (the node bindings run it as async work) and adds a runnable
 * thread, so 8 searches at once filled the pool (WAL appends and file reads queued behind
 * them) and outnumbered the event loop's one thread for the CPU (ingest kept 46 % of its rate).
 * A statement gets every DuckDB thread anyway, so on a small box running more at once adds no
 * throughput, and first-come-first-served keeps the slowest searcher's wait (p99) bounded.
 */
export class RunGate {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  /** `limit`: statements running at once (≥ 1); `timeoutMs`: each statement's deadline. */
  constructor(
    private readonly limit: number,
    private readonly timeoutMs?: number,
  ) {
    if (!(limit >= 1)) throw new RangeError('RunGate limit must be at least 1');
  }

  /**
   * Runs `sql` through the gate under the timeout, then `read`s its result; adds the time spent
   * waiting to `waited`. Only the statement holds a slot: reading its result is event-loop work.
   */
  async statement<T>(
    conn: DuckDBConnection,
    sql: string,
    read: (result: StatementResult) => Promise<T>,
    waited?: { ms: number },
  ): Promise<T> {
    const { value, waitedMs } = await this.run(() => runStatement(conn, sql, this.timeoutMs));
    if (waited) waited.ms += waitedMs;
    return read(value);
  }

  /** Runs `work` once a slot is free; returns its result and the milliseconds spent waiting. */
  async run<T>(work: () => Promise<T>): Promise<{ value: T; waitedMs: number }> {
    const queued = performance.now();
    if (this.running >= this.limit) await new Promise<void>((go) => this.waiting.push(go));
    else this.running++;
    const waitedMs = performance.now() - queued;
    try {
      return { value: await work(), waitedMs };
    } finally {
      // The slot passes straight to the next waiter, so a newcomer cannot overtake it.
      const next = this.waiting.shift();
      if (next === undefined) this.running--;
      else next();
    }
  }

  /** Statements waiting for a slot (for tests and metrics). */
  get queued(): number {
    return this.waiting.length;
  }
}

/** `conn.run(sql)`, interrupted once `timeoutMs` (if any) has passed. */
export async function runStatement(
  conn: DuckDBConnection,
  sql: string,
  timeoutMs: number | undefined,
): Promise<StatementResult> {
  // An interrupt that lands before DuckDB starts executing is lost, so once the deadline has
  // passed keep interrupting until the statement ends (a loaded box made this race real).
  let repeat: NodeJS.Timeout | undefined;
  const timer =
    timeoutMs === undefined
      ? undefined
      : setTimeout(() => {
          conn.interrupt();
          repeat = setInterval(() => conn.interrupt(), 25);
        }, timeoutMs);
  try {
    return await conn.run(sql);
  } finally {
    if (timer !== undefined) clearTimeout(timer);
    if (repeat !== undefined) clearInterval(repeat);
  }
}
