import { resolve } from 'node:path';
import type { ScanStats } from './create-views.js';
import type { FileAnswerDeps } from './file-answers.js';
import {
  filePartialSql,
  resolvedRanges,
  fileKey,
  MAX_FILLS,
  partialPrefix,
  VOLATILE_SQL,
} from './kept-partials.js';
import type { KeptPartial, KeptPartials } from './kept-partials.js';
import { typedAsSchema } from './layout-fit.js';
import type { BoundStream } from './plan-query.js';
import type { AstNode } from './sql-ast.js';
import { isNode, list, printSelect, str, visitTree } from './sql-ast.js';
import { quoteIdent } from './sql-text.js';
import { isAggregateQuery } from './split-tree.js';
import { WORKER_VIEW } from './split-search.js';
import { streamSelectSql } from './stream-view.js';
import { storedFileFacts } from './versioned-cache.js';

/** A share's partial rows as SQL, what it covers, and the unpinning of the kept partials read. */
export interface ShareAnswered {
  sql: string;
  scan: ScanStats;
  /** Unpins the partials read; call once the SQL has run. */
  release(): void;
}

/**
 * Whether the union of a partial's rows over disjoint row sets is as good as its rows over
 * their union to whoever merges them: a cluster split's aggregate partial (group keys, partial
 * aggregates), which the leader's final merges per key. A rows partial (no aggregate) may carry
 * a top-n's ORDER BY … LIMIT, and anything with modifiers, HAVING, QUALIFY, a sample, a window
 * or a subquery does not merge per key.
 */
export function mergesPerKey(partial: AstNode, aggregates: ReadonlySet<string>): boolean {
  if (
    str(partial, 'type') !== 'SELECT_NODE' ||
    str(partial, 'aggregate_handling') !== 'STANDARD_HANDLING' ||
    list(partial, 'modifiers').length > 0 ||
    isNode(partial.having) ||
    isNode(partial.qualify) ||
    isNode(partial.sample) ||
    !isAggregateQuery(partial, aggregates)
  )
    return false;
  let window = false;
  visitTree(partial, (node) => {
    if (str(node, 'class') === 'WINDOW' || str(node, 'class') === 'SUBQUERY') window = true;
  });
  return !window;
}

/**
 * One share of a cluster query (a worker's files, or the leader's own) answered as
 * `FileAnswers.answer` answers the single node: the kept partials of its stored files plus the
 * partial over the rest and the in-memory rows, whose union the leader's final merges per group
 * key as it merges the queriers' answers. Only stored files' partials are kept (an ingester's
 * in-memory rows change with every write it takes), under the keys `answer` uses: the partial
 * is keyed over the worker's view name, the single node's too, whatever this share calls its
 * view, so a process's leader, worker and single-node roles read each other's partials.
 * Undefined when the partial does not merge per key, the files do not qualify, or nothing is
 * kept for them and the partial is met for the first time (a one-off is scanned as before).
 */
export async function answerShare(
  kept: KeptPartials,
  deps: FileAnswerDeps,
  stream: BoundStream,
  partial: AstNode,
): Promise<ShareAnswered | undefined> {
  const { source } = stream;
  const { conn } = deps;
  if (source.parquetFiles.length === 0 || !mergesPerKey(partial, deps.aggregateFunctions))
    return undefined;
  const from = partial.from_table as AstNode;
  const canonical = { ...partial, from_table: { ...from, table_name: WORKER_VIEW } };
  const partialSql = await printSelect(conn, canonical);
  if (VOLATILE_SQL.test(partialSql)) return undefined;
  const prefix = partialPrefix(partialSql, source.schema);
  const stored = [...new Set(source.parquetFiles.map((f) => resolve(f)))];
  const ranged = resolvedRanges(source.rowRanges);
  const facts = await storedFileFacts(
    conn,
    stored,
    deps.fileFacts,
    source.fileSizes,
    source.fileStats,
  );
  // As in `answer`: a file's partial is the whole view's only when no file types a column
  // otherwise than the schema.
  if (!(await typedAsSchema(conn, source.schema, stored, facts.schemas))) return undefined;
  const startTime = source.allRows === true ? 0 : deps.range.startTime;
  const endTime = source.allRows === true ? Number.MAX_SAFE_INTEGER : deps.range.endTime;
  // Only a repeated partial is worth per-file statements; one kept already is read either way
  // (another role of this process, or the single node's answer, may have kept it).
  const repeated = kept.seenBefore(`share\0${prefix}`);
  // Before this share pins anything: what the last ones kept past the budget goes now.
  await kept.evict(conn);
  const used: KeptPartial[] = [];
  const rest: string[] = [];
  const fills: Array<[string, string]> = [];
  for (const file of stored) {
    const key = fileKey(prefix, file, facts, startTime, endTime);
    const entry = kept.touch(key);
    if (entry !== undefined) {
      if (entry.table === undefined) rest.push(file);
      else used.push(entry);
    } else if (repeated && fills.length < MAX_FILLS) fills.push([file, key]);
    else rest.push(file);
  }
  if (used.length === 0 && fills.length === 0) return undefined;
  for (const entry of used) entry.pins++;
  const release = (): void => {
    for (const entry of used.splice(0)) entry.pins--;
  };
  try {
    const view = quoteIdent(WORKER_VIEW);
    for (const [file, key] of fills) {
      const { schemas, bounds } = facts;
      const body = filePartialSql(
        { view: WORKER_VIEW, schema: source.schema, schemas, bounds, startTime, endTime },
        file,
        partialSql,
        ranged.get(file),
      );
      const entry = await kept.fill(deps, key, body);
      // Another search may have dropped it meanwhile (all synchronous from here to the pin).
      if (entry.table === undefined || !kept.holds(key, entry)) rest.push(file);
      else {
        entry.pins++;
        used.push(entry);
      }
    }
    const scanned = rest.length > 0 || (source.tables?.length ?? 0) > 0 || used.length === 0;
    const scan: ScanStats = scanned
      ? await deps.viewInputs([{ ...stream, source: { ...source, parquetFiles: rest } }])
      : { bytes: 0, records: 0, versions: new Map(), views: new Map() };
    // What the share covers, as a full scan reports it: the kept files count too.
    for (const file of stored.filter((f) => !rest.includes(f))) {
      const version = facts.versions.get(file)!;
      scan.bytes += Number(version.split(':')[0]);
      scan.records += deps.fileFacts.get(file, version)?.rows ?? 0;
    }
    scan.versions = facts.versions;
    const branches = used.map((e) => `SELECT * FROM ${quoteIdent(e.table!)}`);
    // The rest's view inlined as a CTE of the worker's view name (no view made nor dropped).
    if (scanned) {
      const rows = streamSelectSql(scan.views.get(stream.view)!);
      branches.push(`SELECT * FROM (WITH ${view} AS (${rows}) ${partialSql})`);
    }
    await kept.evict(conn);
    scan.views = new Map();
    return { sql: branches.join(' UNION ALL BY NAME '), scan, release };
  } catch (err) {
    release();
    throw err;
  }
}
