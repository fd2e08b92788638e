import { bareCountOf } from './count-from-metadata.js';
import type { ScanStats } from './create-views.js';
import type { BoundStream } from './plan-query.js';
import type { AstNode } from './sql-ast.js';
import { printSelect } from './sql-ast.js';
import { intLiteral, quoteIdent } from './sql-text.js';
import { narrowedPartialSql } from './split-narrow.js';
import type { PartialRows } from './partial-rows.js';
import type { SplitDeps } from './split-search.js';
import { clocked } from './stage-clock.js';

/** A bare count's share counted as the single node counts it (see `countBareStream`). */
export interface BareShare {
  counted: number;
  scan: ScanStats;
  /** Whether `stream.view` was made over the rows left to scan. */
  scanRest: boolean;
}

export type { BareCount } from './count-from-metadata.js';

/**
 * The SQL one share of a split query runs (the leader's own files, a worker's, or an unavailable
 * worker's read here), with its view made. A bare `count(*)` share counts stored files lying
 * wholly in the range from their footers and in-memory tables from their `_timestamp` before
 * any view exists, and makes the view over the rest only: making a view over every file (DuckDB
 * binds `read_parquet` over each) and the memtable's Parquet copy cost most of a cluster count,
 * as they did on the single node before `countBareStream`. Any other partial is narrowed as the
 * single node narrows it (`narrowedPartialSql`), unless the engine answers an aggregate's
 * partial from the per-file partials it keeps (`SplitDeps.answers`): then `release` unpins
 * them once the returned SQL has run. A share counted wholly without a scan also comes as
 * `counted`, its one row as a text answer (a DuckDB statement less on both sides).
 */
export async function sharePartialSql(
  deps: SplitDeps,
  stream: BoundStream,
  partial: AstNode,
): Promise<{ sql: string; scan: ScanStats; release?(): void; counted?: PartialRows }> {
  const bare = bareCountOf(partial, new Set([stream.view]));
  if (bare === undefined) {
    const answered = await clocked('share_answers', async () => deps.answers?.(stream, partial));
    if (answered !== undefined) return answered;
    const scan = await deps.createViews([stream]);
    const view = scan.views.get(stream.view);
    return { sql: await narrowedPartialSql({ conn: deps.conn, view }, partial), scan };
  }
  const share = await deps.countBare(stream, bare);
  const column = quoteIdent(bare.column);
  const counted = `${intLiteral(share.counted)}::BIGINT`;
  // Nothing left to scan: the partial's one row is the count itself (no view was made), which
  // a worker answers and the leader reads without running it (`counted`).
  if (!share.scanRest) {
    const rows = [[String(share.counted)]];
    const answer: PartialRows = { columns: [{ name: bare.column, type: 'BIGINT' }], rows };
    return { sql: `SELECT ${counted} AS ${column}`, scan: share.scan, counted: answer };
  }
  const sql = await printSelect(deps.conn, partial);
  return {
    sql: share.counted === 0 ? sql : `SELECT ${column} + ${counted} AS ${column} FROM (${sql})`,
    scan: share.scan,
  };
}
