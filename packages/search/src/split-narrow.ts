import type { DuckDBConnection } from '@duckdb/node-api';
import { bareCountOf, wholeFileRows } from './count-from-metadata.js';
import type { FooterCache } from './count-from-metadata.js';
import type { AstNode } from './sql-ast.js';
import { printSelect } from './sql-ast.js';
import { intLiteral, quoteIdent } from './sql-text.js';
import { streamViewSql } from './stream-view.js';
import type { StreamViewInput } from './stream-view.js';
import { narrowToTopN, timeTopNOf } from './time-top-n.js';

/** What narrowing a partial needs: the view it reads and the per-file facts already known. */
export interface NarrowInput {
  conn: DuckDBConnection;
  /** The view as it was made (files, time range), under the name the partial reads. */
  view: StreamViewInput | undefined;
  footers: FooterCache;
  versions: ReadonlyMap<string, string>;
}

/**
 * A partial (a worker's share, or the leader's own) as the single node would run the same
 * query: a top-n by `_timestamp` first narrows the view to the row groups that can hold its
 * rows, and a bare `count(*)` counts the files lying wholly in the range from their footers,
 * scanning only the rest; the SQL returned then adds that count to the scanned one. Both keep
 * the partial's answer exact, so the final merges it as before.
 */
export async function narrowedPartialSql(input: NarrowInput, partial: AstNode): Promise<string> {
  const { conn, view } = input;
  const sql = await printSelect(conn, partial);
  if (view === undefined) return sql;
  const views = new Set([view.view]);
  const top = timeTopNOf(partial, views);
  if (top !== undefined) {
    const probe = top.probe && `SELECT "_timestamp" FROM (${await printSelect(conn, top.probe)})`;
    await narrowToTopN(conn, top, view, probe);
    return sql;
  }
  const count = bareCountOf(partial, views);
  if (count === undefined) return sql;
  const counted = await countWholeFiles(conn, view, input.footers, input.versions, count);
  if (counted === 0) return sql;
  // The partial's one row and one column: the scanned rest's count plus the footers' count.
  const column = quoteIdent(count.column);
  return `SELECT ${column} + ${intLiteral(counted)}::BIGINT AS ${column} FROM (${sql})`;
}

/**
 * Rows of the view's files that lie wholly in its range (narrowed by a time-only WHERE), by
 * their footers; the view is made again over the rest, which the partial then scans. A file
 * read in row ranges only is never counted whole.
 */
async function countWholeFiles(
  conn: DuckDBConnection,
  view: StreamViewInput,
  footers: FooterCache,
  versions: ReadonlyMap<string, string>,
  within: { start?: number; end?: number },
): Promise<number> {
  const range = {
    start: Math.max(view.startTime, within.start ?? -Infinity),
    end: Math.min(view.endTime, within.end ?? Infinity),
  };
  const candidates = view.files.filter((f) => view.rowRanges?.has(f) !== true);
  const whole = await wholeFileRows(conn, candidates, range, footers, versions);
  if (whole.size === 0) return 0;
  await conn.run(`DROP VIEW ${quoteIdent(view.view)}`);
  const rest = view.files.filter((f) => !whole.has(f));
  await conn.run(
    streamViewSql({ ...view, startTime: range.start, endTime: range.end, files: rest }),
  );
  return [...whole.values()].reduce((a, b) => a + b, 0);
}
