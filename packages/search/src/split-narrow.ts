import type { DuckDBConnection } from '@duckdb/node-api';
import type { AstNode } from './sql-ast.js';
import { printSelect } from './sql-ast.js';
import type { StreamViewInput } from './stream-view.js';
import { narrowToTopN, timeTopNOf } from './time-top-n.js';

/** What narrowing a partial needs: the connection and the view it reads. */
export interface NarrowInput {
  conn: DuckDBConnection;
  /** The view as it was made (files, time range), under the name the partial reads. */
  view: StreamViewInput | undefined;
}

/**
 * A partial (a worker's share, or the leader's own) as the single node would run the same
 * query: a top-n by `_timestamp` first narrows the view to the row groups that can hold its
 * rows, which keeps the partial's answer exact, so the final merges it as before. A bare
 * `count(*)` never gets here: `sharePartialSql` counts it before any view is made.
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
  }
  return sql;
}
