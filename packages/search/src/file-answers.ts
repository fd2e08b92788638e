import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import type { Table } from 'apache-arrow';
import type { ScanStats } from './create-views.js';
import type { BoundStream, QueryPlan } from './plan-query.js';
import { planSplit } from './split-search.js';
import type { SplitDeps } from './split-search.js';
import { typedAsSchema } from './layout-fit.js';
import { quoteIdent } from './sql-text.js';
import { streamSelectSql } from './stream-view.js';
import type { FileFacts, VersionedCache } from './versioned-cache.js';
import { storedFileFacts } from './versioned-cache.js';
import { TextMemo } from './text-memo.js';
import { clocked } from './stage-clock.js';
import type { Hit } from './types.js';
import type { AstNode } from './sql-ast.js';
import { answerShare } from './file-shares.js';
import type { ShareAnswered } from './file-shares.js';
import { partialRowLimit } from './split-rows.js';
import {
  filePartialSql,
  resolvedRanges,
  fileKey,
  KeptPartials,
  MAX_FILLS,
  partialPrefix,
  VOLATILE_SQL,
} from './kept-partials.js';
import type { KeptPartial } from './kept-partials.js';

/** A top-n's per-file partial is kept only up to this many rows (a page of the logs view). */
const MAX_KEPT_TOP_ROWS = 1_000;

export interface FileAnswered {
  /** The split's final SQL, after a CTE of the stream view's name: every partial row. */
  sql: string;
  scan: ScanStats;
  /** Unpins the partials read; call once the final statement has ended. */
  release(): void;
  /** Sets the temp views to drop after the search to the ones this one made. */
  temps(views: string[]): void;
  /** The final's rows, remembered from an earlier run over the same kept tables (released). */
  hits?: Hit[];
  /** Remembers the final's rows when it read kept tables only. */
  keep(hits: readonly Hit[]): void;
}

export interface FileAnswerDeps extends SplitDeps {
  fileFacts: VersionedCache<FileFacts>;
  /** What the streams' views would be (see `streamViewInputs`), none of them made. */
  viewInputs(streams: readonly BoundStream[]): Promise<ScanStats>;
  /** An in-memory table's Parquet copy (see `HotTableFiles`); undefined when it is empty. */
  hotFile(table: Table): Promise<string | undefined>;
}

/**
 * Aggregate answers per stored file, kept by the file's version. A stored file is immutable (a
 * new name per write; a rewrite changes size or mtime, so its version), so the partial of an
 * aggregate (the cluster split's: per group key, counts, sums, mins, maxes) over one file and
 * one time range never changes. A repeated aggregate (a dashboard panel, the UI's refresh, an
 * alert) then scans only the files and in-memory chunks it has not met yet (an in-memory
 * table's Parquet copy is immutable too), and the split's final merges the kept partials with
 * theirs: the same merge the cluster's leader runs over its queriers' partials, so the answer
 * is the cluster's. Partials live as DuckDB tables of the in-memory database (every connection
 * reads them), dropped least recently used first; all stored files' partials are kept once
 * more as one table, so a warm final reads a few tables, not one per file.
 */
export class FileAnswers {
  private readonly kept: KeptPartials;
  /**
   * Finals' rows by SQL text, for finals that read kept tables only: a kept table never changes
   * under its name and names are never reused, so the text names the answer (a dashboard's
   * refresh over the same rows then runs no statement at all).
   */
  private readonly results = new TextMemo<readonly Hit[]>(1_000, 8_000_000);

  constructor(maxRows?: number, maxEntries?: number) {
    this.kept = new KeptPartials(maxRows, maxEntries);
  }

  /** Kept partials (for tests and metrics). */
  get size(): number {
    return this.kept.size;
  }

  /**
   * The plan answered from kept per-file partials plus a scan of the rest, or undefined when it
   * does not qualify: one stream, a splittable aggregate or a top-n by `_timestamp` of at most
   * MAX_KEPT_TOP_ROWS rows, no total-hits count, one schema across the files, and the query
   * already seen once. A file the token index narrowed keeps the partial over its row ranges
   * (`filePartialSql`).
   */
  async answer(
    deps: FileAnswerDeps,
    plan: QueryPlan,
    remember = true,
  ): Promise<FileAnswered | undefined> {
    const stream = plan.streams[0];
    if (
      plan.streams.length !== 1 ||
      stream === undefined ||
      !(plan.aggregate || plan.timeTopN !== undefined) ||
      plan.countSql !== undefined ||
      plan.bareCount !== undefined ||
      stream.source.remote !== undefined
    )
      return undefined;
    const { source } = stream;
    const stored = [...new Set(source.parquetFiles.map((f) => resolve(f)))];
    if (stored.length === 0) return undefined;
    const ranged = resolvedRanges(source.rowRanges);
    // Seen first, by the planned SQL (which carries no time range) and what `*` expands to:
    // planning the split, reading the files' facts and checking their types cost several
    // DuckDB statements that a query met for the first time, answered by the plain scan, would
    // pay for nothing. A first query whose partial another SQL kept is scanned once too.
    const seenKey = createHash('sha256')
      .update(`${stream.view}\0${JSON.stringify(source.schema)}\0${plan.sql}`)
      .digest('base64');
    if (!this.kept.seenBefore(seenKey)) return undefined;
    const made = { view: false };
    const split = await clocked('answer_split', () => planSplit(deps, plan, stream, made));
    // The answer inlines views as CTEs before the partial and the final; the split builds both
    // without one (it refuses queries with a CTE), so this only guards that assumption.
    const withCte = /^\s*WITH\b/i;
    if (withCte.test(split.partialSql) || withCte.test(split.sql)) return undefined;
    // A top-n by `_timestamp` (the logs page) keeps each file's own top rows: few, and the
    // final's are among them. Rows without such a LIMIT are never kept.
    const limit = split.kind === 'rows' ? partialRowLimit(split.partial) : undefined;
    if (split.kind === 'rows' && !(limit !== undefined && limit <= MAX_KEPT_TOP_ROWS))
      return undefined;
    // A file's partial under `now()` (say `WHERE _timestamp > now() - INTERVAL 1 HOUR`) is only
    // right while the clock stands still: never kept.
    if (VOLATILE_SQL.test(split.partialSql)) return undefined;
    const { conn } = deps;
    // An in-memory table is immutable and its Parquet copy has a path of its own, so a partial
    // over the copy is kept like a stored file's: a repeated aggregate then reads no file at all
    // while the ingester holds the same rows (its scan was most of the final statement's time).
    // Kept from the query's second run on, as the files' are: a table that lives for one run
    // of the query only (an ingester takes writes and flushes) costs its footer read and one
    // table for nothing, but waiting to meet each table twice made every repeated aggregate
    // take three runs to reach its kept answer (~15 ms vs ~5 ms for a 400 k-row count by
    // namespace on the second run).
    const hotOf = new Map<string, Table>();
    const rest: string[] = [];
    for (const table of new Set(source.tables ?? [])) {
      const file = await deps.hotFile(table);
      if (file !== undefined) hotOf.set(file, table);
    }
    const hotFiles = [...hotOf.keys()];
    const all = [...stored, ...hotFiles];
    // A copy's content never changes under its path, so its Arrow size versions it: no `stat`,
    // which waits for a libuv pool thread (DuckDB statements hold them; ~0.5-1 ms, box loaded).
    const sizes = new Map(source.fileSizes ?? []);
    for (const file of hotFiles) {
      const table = hotOf.get(file)!;
      sizes.set(
        file,
        Math.max(
          1,
          table.batches.reduce((n, b) => n + b.data.byteLength, 0),
        ),
      );
    }
    const facts = await clocked('answer_facts', () =>
      storedFileFacts(conn, all, deps.fileFacts, sizes, source.fileStats),
    );
    // The view over all files types each column as the common type of the schema's and every
    // file's, a view over one file as the schema's and that file's: the same when no file types
    // a column differently, so only then is a file's partial the one the whole view computes.
    // In-memory tables that type a column otherwise are scanned with the rest, as before.
    if (
      !(await clocked('answer_types', () =>
        typedAsSchema(conn, source.schema, stored, facts.schemas),
      ))
    )
      return undefined;
    const hotFits = await clocked('answer_types', () =>
      typedAsSchema(conn, source.schema, hotFiles, facts.schemas),
    );
    const startTime = source.allRows === true ? 0 : deps.range.startTime;
    const endTime = source.allRows === true ? Number.MAX_SAFE_INTEGER : deps.range.endTime;
    // The shares' keys too (`share`): the stream's view is the worker's, `__o2_stream_0`.
    const prefix = partialPrefix(split.partialSql, source.schema);
    const keyOf = (file: string): string => fileKey(prefix, file, facts, startTime, endTime);
    // Before this search pins anything: what the last ones kept past the budget goes now.
    await this.kept.evict(conn);
    // All stored files' partials as one table, kept by the files' keys: the final then reads
    // one table where it read one per file (25 files: ~4 ms of a 6 ms final, box loaded).
    const combineKey = `${prefix}\0all\0${createHash('sha256')
      .update(stored.map(keyOf).join('\0'))
      .digest('base64')}`;
    // An entry without a table: the union was too big to keep, the files' partials are read.
    const known = stored.length > 1 ? this.kept.touch(combineKey) : undefined;
    let combined = known?.table === undefined ? undefined : known;
    const used = new Map<string, KeptPartial>();
    const fills: Array<[string, string]> = [];
    for (const file of combined === undefined ? all : hotFiles) {
      const hot = hotOf.has(file);
      const key = keyOf(file);
      const entry = hot && !hotFits ? undefined : this.kept.touch(key);
      if (hot && !hotFits) rest.push(file);
      else if (entry !== undefined) {
        if (entry.table === undefined) rest.push(file);
        else used.set(file, entry);
      } else if (fills.length < MAX_FILLS) fills.push([file, key]);
      else rest.push(file);
    }
    if (used.size === 0 && fills.length === 0 && combined === undefined) return undefined;
    let pinned = [...used.values(), ...(combined === undefined ? [] : [combined])];
    for (const entry of pinned) entry.pins++;
    const release = (): void => {
      for (const entry of pinned) entry.pins--;
      pinned = [];
    };
    try {
      const view = quoteIdent(stream.view);
      for (const [file, key] of fills) {
        const { schemas, bounds } = facts;
        const body = filePartialSql(
          { view: stream.view, schema: source.schema, schemas, bounds, startTime, endTime },
          file,
          split.partialSql,
          ranged.get(file),
        );
        const entry = await clocked('answer_fill', () => this.kept.fill(deps, key, body));
        // Another search may have dropped it meanwhile (all synchronous from here to the pin).
        if (entry.table === undefined || !this.kept.holds(key, entry)) rest.push(file);
        else {
          entry.pins++;
          pinned.push(entry);
          used.set(file, entry);
        }
      }
      const parts = stored.map((f) => used.get(f)?.table);
      // Combined as soon as every file's partial is kept (a small union of small tables): a
      // flush or a merge changes the files, and the next run combines the new set.
      if (known === undefined && stored.length > 1 && parts.every((t) => t !== undefined)) {
        const union = parts.map((t) => `SELECT * FROM ${quoteIdent(t)}`);
        const entry = await this.kept.fill(deps, combineKey, union.join(' UNION ALL BY NAME '));
        if (entry.table !== undefined && this.kept.holds(combineKey, entry)) {
          entry.pins++;
          pinned.push(entry);
          combined = entry;
        }
      }
      const scanned = rest.length > 0 || pinned.length === 0;
      const tables = rest.filter((f) => hotOf.has(f)).map((f) => hotOf.get(f)!);
      const parquetFiles = rest.filter((f) => !hotOf.has(f));
      const scan: ScanStats = scanned
        ? await deps.viewInputs([{ ...stream, source: { ...source, parquetFiles, tables } }])
        : { bytes: 0, records: 0, versions: new Map(), views: new Map() };
      // What the query covers, as a full scan reports it: the kept files and tables count too.
      for (const file of all.filter((f) => !rest.includes(f))) {
        const table = hotOf.get(file);
        const version = facts.versions.get(file)!;
        if (table !== undefined) {
          scan.records += table.numRows;
          for (const batch of table.batches) scan.bytes += batch.data.byteLength;
        } else {
          scan.bytes += Number(version.split(':')[0]);
          scan.records += deps.fileFacts.get(file, version)?.rows ?? 0;
        }
      }
      scan.versions = new Map(stored.map((f) => [f, facts.versions.get(f)!]));
      const reads =
        combined === undefined
          ? [...used.values()]
          : [combined, ...hotFiles.map((f) => used.get(f))];
      const branches = reads.flatMap((e) =>
        e?.table === undefined ? [] : [`SELECT * FROM ${quoteIdent(e.table)}`],
      );
      // One statement: the scanned share's view and partial inlined as CTEs into the final
      // (the partial reads the inner CTE of the view's name, the final the outer one). A temp
      // view, a temp table of the partial, the union's view and their drops were four
      // statements more per query, ~0.8-2 ms each, for the few rows an ingester still holds.
      if (scanned) {
        const rows = streamSelectSql(scan.views.get(stream.view)!);
        branches.push(`SELECT * FROM (WITH ${view} AS (${rows}) ${split.partialSql})`);
      }
      await this.kept.evict(conn);
      scan.views = new Map();
      const temps = (views: string[]): void => {
        // Only planning the split (over no file) makes the view: else there is none to drop.
        const at = views.indexOf(stream.view);
        if (!made.view && at >= 0) views.splice(at, 1);
      };
      // Materialised as the temp table of the partial was: it runs once, however often the
      // final reads the union.
      const as = scanned ? 'AS MATERIALIZED' : 'AS';
      const sql = `WITH ${view} ${as} (${branches.join(' UNION ALL BY NAME ')}) ${split.sql}`;
      const cacheable = remember && !scanned && !VOLATILE_SQL.test(split.sql);
      const keep = (hits: readonly Hit[]): void => {
        if (!cacheable) return;
        const text = JSON.stringify(hits, (_, v: unknown) =>
          typeof v === 'bigint' ? v.toString() : v,
        );
        this.results.set(sql, structuredClone(hits), text.length);
      };
      const remembered = cacheable ? this.results.get(sql) : undefined;
      if (remembered === undefined) return { sql, scan, release, temps, keep };
      release();
      return { sql, scan, release, temps, keep, hits: structuredClone(remembered) as Hit[] };
    } catch (err) {
      release();
      throw err;
    }
  }

  /** One share of a cluster query answered from the kept partials (see `answerShare`). */
  share(
    deps: FileAnswerDeps,
    stream: BoundStream,
    partial: AstNode,
  ): Promise<ShareAnswered | undefined> {
    return answerShare(this.kept, deps, stream, partial);
  }
}
