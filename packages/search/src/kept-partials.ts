import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { SplitDeps } from './split-search.js';
import { quoteIdent } from './sql-text.js';
import { streamSelectSql } from './stream-view.js';
import type { StreamViewInput } from './stream-view.js';
import type { StreamField } from './types.js';

/** Partial rows kept in all, weighed by width (`weighedRows`); one partial keeps at most 1/8. */
const MAX_ROWS = 400_000;
const MAX_ENTRIES = 4_000;
/** Files whose partial one query computes and keeps (the rest of them it scans as before). */
export const MAX_FILLS = 8;
/** Partials remembered as seen once: only a repeated partial is worth per-file statements. */
const MAX_SEEN = 2_000;

/** Kept tables' names: unique in the process, whichever instance made them. */
let tableSeq = 0;

export interface KeptPartial {
  /** Undefined: the partial was too big to keep, the file is scanned with the rest. */
  table: string | undefined;
  /** Its rows weighed by width (`weighedRows`): what the budget counts. */
  rows: number;
  /** Searches reading `table` right now: it is not dropped under them. */
  pins: number;
}

/**
 * SQL whose answer may change between two runs over the same rows (the clock, randomness,
 * sequences): a partial or a final that calls one is never kept or remembered. A regex over the
 * printed SQL: a column of such a name only costs the keeping, never a wrong answer.
 */
export const VOLATILE_SQL =
  /\b(random|now|current_\w+|get_current_\w+|uuid\w*|gen_random_uuid|nextval|currval|setseed|today|localtime\w*)\b/i;

/**
 * The prefix of every per-file key of one partial: its SQL (over the stream's view of the
 * single node, `__o2_stream_0`, which is also the worker's) and what `*` expands to.
 */
export function partialPrefix(partialSql: string, schema: readonly StreamField[]): string {
  return createHash('sha256')
    .update(`${partialSql}\0${JSON.stringify(schema)}`)
    .digest('base64');
}

/**
 * A file's partial's key: the file's version, and the range only when it cuts the file (a file
 * lying wholly inside the range has the same partial for every such range).
 */
export function fileKey(
  prefix: string,
  file: string,
  facts: {
    bounds: ReadonlyMap<string, readonly [number, number]>;
    versions: ReadonlyMap<string, string>;
  },
  startTime: number,
  endTime: number,
): string {
  const span = facts.bounds.get(file);
  const inside = span !== undefined && span[0] >= startTime && span[1] < endTime;
  return `${prefix}\0${file}\0${facts.versions.get(file)}\0${inside ? '' : `${startTime}:${endTime}`}`;
}

/**
 * The body a kept partial of one file is made from: the file's rows as a CTE of the stream
 * view's name (no temp view to make and drop), then the partial over them. With `ranges` (the
 * rows its token index left for the query's terms) only those rows are read: the partial over
 * them is the whole file's, since no row outside them holds the terms every row the query
 * reads must hold — which is also why the scan reads only them.
 */
export function filePartialSql(
  view: Omit<StreamViewInput, 'files' | 'rowRanges'>,
  file: string,
  partialSql: string,
  ranges?: ReadonlyArray<readonly [number, number]>,
): string {
  const rowRanges = ranges === undefined ? {} : { rowRanges: new Map([[file, ranges]]) };
  const rows = streamSelectSql({ ...view, files: [file], ...rowRanges });
  return `WITH ${quoteIdent(view.view)} AS (${rows}) ${partialSql}`;
}

/** A source's row ranges by resolved path (the kept partials' file names). */
export function resolvedRanges(
  rowRanges: ReadonlyMap<string, ReadonlyArray<readonly [number, number]>> | undefined,
): Map<string, ReadonlyArray<readonly [number, number]>> {
  return new Map([...(rowRanges ?? [])].map(([file, ranges]) => [resolve(file), ranges]));
}

/**
 * A kept table's rows as the budget counts them: an aggregate's partial of a few columns counts
 * its rows, a top-n's whole rows (the logs page's 30-odd columns) count once per four columns,
 * so the budget bounds memory rather than rows.
 */
function weighedRows(rows: number, columns: number): number {
  return rows * Math.max(1, Math.ceil(columns / 4));
}

/**
 * The kept partials of one engine, by key, least recently used first: DuckDB tables of the
 * in-memory database (every connection reads them), dropped past the budget unless pinned.
 * Shared by the single node's answers and the cluster shares, so one process's leader and
 * worker roles read each other's partials.
 */
export class KeptPartials {
  private readonly entries = new Map<string, KeptPartial>();
  private readonly filling = new Map<string, Promise<KeptPartial>>();
  private readonly seen = new Map<string, true>();
  private rows = 0;

  constructor(
    private readonly maxRows = MAX_ROWS,
    private readonly maxEntries = MAX_ENTRIES,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  /** Whether `entry` is still the one kept for `key` (another search may have dropped it). */
  holds(key: string, entry: KeptPartial): boolean {
    return this.entries.get(key) === entry;
  }

  /** `CREATE TABLE … AS <body>` as a kept table (one fill per key at a time). */
  async fill(
    deps: Pick<SplitDeps, 'conn' | 'run'>,
    key: string,
    body: string,
  ): Promise<KeptPartial> {
    // Another search may have kept it since this one looked: a second table would leak.
    const kept = this.entries.get(key);
    if (kept !== undefined) return kept;
    const running = this.filling.get(key);
    if (running !== undefined) return running;
    const made = (async (): Promise<KeptPartial> => {
      const table = `__o2_answer_${++tableSeq}`;
      // A file's view is a CTE of the stream view's name: no temp view to make and drop.
      await deps.run(`CREATE TABLE ${quoteIdent(table)} AS ${body}`);
      const reader = await deps.conn.runAndReadAll(
        `SELECT count(*), (SELECT column_count FROM duckdb_tables() ` +
          `WHERE table_name = '${table}') FROM ${quoteIdent(table)}`,
      );
      const [count, columns] = reader.getRows()[0] ?? [];
      const rows = weighedRows(Number(count ?? 0), Number(columns ?? 0));
      if (rows > this.maxRows / 8) {
        await deps.conn.run(`DROP TABLE ${quoteIdent(table)}`);
        return { table: undefined, rows: 0, pins: 0 };
      }
      return { table, rows, pins: 0 };
    })();
    this.filling.set(key, made);
    try {
      const entry = await made;
      this.entries.set(key, entry);
      this.rows += entry.rows;
      return entry;
    } finally {
      this.filling.delete(key);
    }
  }

  /** Drops the least recently used unpinned partials past the budget. */
  async evict(conn: DuckDBConnection): Promise<void> {
    const drops: string[] = [];
    for (const [key, entry] of this.entries) {
      if (this.rows <= this.maxRows && this.entries.size <= this.maxEntries) break;
      if (entry.pins > 0) continue;
      this.entries.delete(key);
      this.rows -= entry.rows;
      if (entry.table !== undefined) drops.push(`DROP TABLE IF EXISTS ${quoteIdent(entry.table)}`);
    }
    if (drops.length > 0) await conn.run(drops.join('; '));
  }

  /** The entry kept for `key`, moved to the young end. */
  touch(key: string): KeptPartial | undefined {
    const entry = this.entries.get(key);
    if (entry !== undefined) {
      this.entries.delete(key);
      this.entries.set(key, entry);
    }
    return entry;
  }

  /** Whether `key` was met before; remembers it either way. */
  seenBefore(key: string): boolean {
    const seen = this.seen.has(key);
    this.seen.delete(key);
    this.seen.set(key, true);
    if (this.seen.size > MAX_SEEN) this.seen.delete(this.seen.keys().next().value!);
    return seen;
  }
}
