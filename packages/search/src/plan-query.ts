import type { DuckDBConnection } from '@duckdb/node-api';
import type { CallTemplate, FunctionContext } from './o2-functions.js';
import { removeDashboardPlaceholder } from './dashboard-placeholder.js';
import { O2_FUNCTIONS, o2FunctionTemplate, placeholder } from './o2-functions.js';
import { dialectCast, dialectTemplate, dialectWindow, parseUserSelect } from './dialect/index.js';
import { applyOrderAndLimit } from './order-and-limit.js';
import type { LimitOutcome } from './order-and-limit.js';
import type { AstNode, Json } from './sql-ast.js';
import { isNode, list, mapTree, parseSelect, printSelect, str } from './sql-ast.js';
import {
  assertSafeTree,
  cteNames,
  isTableRef,
  sameRef,
  streamRefOf,
  streamRefs,
  uniqueRefs,
} from './query-tree.js';
import { SEARCH_ERROR, searchError } from './search-error.js';
import { timeTopNOf } from './time-top-n.js';
import { bareCountOf } from './count-from-metadata.js';
import type { BareCount } from './count-from-metadata.js';
import type { TimeTopN } from './time-top-n.js';
import type { StreamField, StreamFieldType, StreamRef, StreamSource } from './types.js';

export interface BoundStream {
  ref: StreamRef;
  source: StreamSource;
  /** The temp view the query reads instead of the stream name. */
  view: string;
}

export interface PlanInput {
  sql: string;
  startTime: number;
  endTime: number;
  from: number;
  size: number;
  trackTotalHits: boolean;
  sources: readonly StreamSource[];
  defaultLimit: number;
  defaultFtsFields: readonly string[];
  aggregateFunctions: ReadonlySet<string>;
  /** O2's dashboard "All" sentinel (`ZO_DASHBOARD_PLACEHOLDER`); empty turns the rewrite off. */
  dashboardPlaceholder?: string;
}

export interface QueryPlan {
  sql: string;
  /** `SELECT count(*)` over the query without its limit, when total hits were asked for. */
  countSql: string | undefined;
  streams: BoundStream[];
  histogramInterval: number | undefined;
  aggregate: boolean;
  limit: LimitOutcome;
  /** Set when only the newest/oldest rows of one stream are wanted (see `TimeTopN`). */
  timeTopN: TimeTopN | undefined;
  /** The top-n's filtered `_timestamp` probe, printed (see `TimeTopN.probe`). */
  timeTopNProbe: string | undefined;
  /**
   * The SQL has no WITH of its own, so its streams' views can be CTEs of their names put
   * before it (`narrowPlanned`) instead of temp views.
   */
  inlineViews: boolean;
  /** Set for `SELECT count(*) FROM s` with no filter (see `BareCount`). */
  bareCount: BareCount | undefined;
  /** The plan depends on the query's time range (an automatic histogram interval). */
  readsTimeRange: boolean;
}

const TEMPLATE_MARK = '__O2_TEMPLATE';

/** Finds the source for a reference: exact name first, then O2's lower-cased stream names. */
export function findSource(
  ref: StreamRef,
  sources: readonly StreamSource[],
): StreamSource | undefined {
  const typeFits = (s: StreamSource): boolean =>
    ref.type === undefined || s.type === undefined || s.type === ref.type;
  return (
    sources.find((s) => s.name === ref.name && typeFits(s)) ??
    sources.find((s) => s.name.toLowerCase() === ref.name.toLowerCase() && typeFits(s))
  );
}

function ftsFieldsOf(source: StreamSource, defaults: readonly string[]): StreamField[] {
  const wanted = new Set([...defaults, ...(source.settings?.full_text_search_keys ?? [])]);
  return source.schema.filter((f) => wanted.has(f.name));
}

class Binder {
  readonly streams: BoundStream[] = [];
  readonly templates: Array<{ template: CallTemplate; alias: string }> = [];
  histogramInterval: number | undefined;
  /** Whether a rewrite read the query's time range (see `QueryPlan.readsTimeRange`). */
  readsTimeRange = false;
  private readonly ctes: Set<string>;
  private readonly allRefs: StreamRef[];

  constructor(
    root: AstNode,
    private readonly input: PlanInput,
  ) {
    this.ctes = cteNames(root);
    this.allRefs = uniqueRefs(streamRefs(root));
  }

  bind(ref: StreamRef): BoundStream {
    const existing = this.streams.find((s) => sameRef(s.ref, ref));
    if (existing !== undefined) return existing;
    const source = findSource(ref, this.input.sources);
    if (source === undefined || source.schema.length === 0) {
      throw searchError(SEARCH_ERROR.streamNotFound, `stream not found: ${ref.name}`);
    }
    const bound = { ref, source, view: `__o2_stream_${this.streams.length}` };
    this.streams.push(bound);
    return bound;
  }

  /** The stream a SELECT reads when its FROM is a single stream. */
  private streamOfFrom(from: Json | undefined): BoundStream | undefined {
    if (!isNode(from) || !isTableRef(from) || str(from, 'type') !== 'BASE_TABLE') return undefined;
    const ref = streamRefOf(from, this.ctes);
    return ref === undefined ? undefined : this.bind(ref);
  }

  private functionContext(stream: BoundStream | undefined): FunctionContext {
    const { startTime, endTime } = this.input;
    const readRange = (): void => {
      this.readsTimeRange = true;
    };
    return {
      get startTime() {
        readRange();
        return startTime;
      },
      get endTime() {
        readRange();
        return endTime;
      },
      onHistogram: (seconds) => {
        this.histogramInterval ??= seconds;
      },
      fullTextFields: () => {
        let target = stream;
        if (target === undefined && this.allRefs.length === 1) target = this.bind(this.allRefs[0]!);
        if (target === undefined) {
          throw searchError(
            SEARCH_ERROR.invalidSql,
            'full-text search needs a query over a single stream',
          );
        }
        const fields = ftsFieldsOf(target.source, this.input.defaultFtsFields);
        if (fields.length === 0) {
          throw searchError(
            SEARCH_ERROR.fullTextFieldNotFound,
            `no full-text search field in stream ${target.source.name}`,
          );
        }
        return fields;
      },
    };
  }

  rewrite(value: Json, stream: BoundStream | undefined): Json {
    if (Array.isArray(value)) return value.map((v) => this.rewrite(v, stream));
    if (!isNode(value)) return value;
    let scope = stream;
    if (value.class === undefined && str(value, 'type') === 'SELECT_NODE') {
      scope = this.streamOfFrom(value.from_table) ?? stream;
    }
    const out: AstNode = {};
    for (const [key, child] of Object.entries(value)) out[key] = this.rewrite(child, scope);
    if (isTableRef(out) && str(out, 'type') === 'BASE_TABLE') return this.bindTable(out);
    if (out.class === 'FUNCTION' && str(out, 'schema') === '') return this.rewriteCall(out, scope);
    if (out.class === 'CAST') return dialectCast(out, (c) => this.columnType(c, scope));
    if (out.class === 'WINDOW') return dialectWindow(out);
    return out;
  }

  private bindTable(table: AstNode): AstNode {
    const ref = streamRefOf(table, this.ctes);
    if (ref === undefined) return table;
    const bound = this.bind(ref);
    const alias = str(table, 'alias');
    // Keep the stream's own name as alias so `"default"._timestamp` still resolves.
    return {
      ...table,
      table_name: bound.view,
      schema_name: '',
      catalog_name: '',
      alias: alias === '' ? ref.name : alias,
    };
  }

  private rewriteCall(call: AstNode, stream: BoundStream | undefined): Json {
    const name = str(call, 'function_name').toLowerCase();
    const template = O2_FUNCTIONS.has(name)
      ? o2FunctionTemplate(name, list(call, 'children'), this.functionContext(stream))
      : dialectTemplate(call, (column) => this.columnType(column, stream));
    if (template === undefined) return call;
    this.templates.push({ template, alias: str(call, 'alias') });
    return { class: TEMPLATE_MARK, index: this.templates.length - 1 };
  }

  /** A bare column's stored type in the stream in scope (else the only stream read). */
  private columnType(column: string, stream: BoundStream | undefined): StreamFieldType | undefined {
    const target = stream ?? (this.allRefs.length === 1 ? this.bind(this.allRefs[0]!) : undefined);
    const wanted = column.toLowerCase();
    return target?.source.schema.find((f) => f.name.toLowerCase() === wanted)?.type;
  }
}

/** Parses the templates in one round trip and splices the caller's argument nodes in. */
async function expandTemplates(
  conn: DuckDBConnection,
  root: Json,
  templates: Binder['templates'],
): Promise<Json> {
  if (templates.length === 0) return root;
  const select = templates.map((t, i) => `(${t.template.sql}) AS __o2_t${i}`).join(', ');
  const parsed = await parseSelect(conn, `SELECT ${select}`);
  const expressions = list(parsed, 'select_list');
  const expanded: AstNode[] = [];
  // A call nested in another's arguments was rewritten first (lower index), so its expansion
  // exists by the time the outer call's arguments are spliced in.
  const resolve = (n: AstNode): Json =>
    n.class === TEMPLATE_MARK ? structuredClone(expanded[Number(n.index)] ?? n) : n;
  templates.forEach(({ template, alias }, i) => {
    const args = new Map(template.args.map((arg, k) => [placeholder(k), mapTree(arg, resolve)]));
    const node = mapTree(expressions[i]!, (n) => {
      if (n.class !== 'COLUMN_REF') return n;
      const names = list(n, 'column_names');
      const only = names.length === 1 ? names[0] : undefined;
      const arg = typeof only === 'string' ? args.get(only) : undefined;
      if (arg === undefined) return n;
      // A struct field's name rides on its expression's alias (`{'a': x}`): keep it.
      const alias = str(n, 'alias');
      return alias === '' ? structuredClone(arg) : { ...(structuredClone(arg) as AstNode), alias };
    }) as AstNode;
    expanded.push({ ...node, alias });
  });
  return mapTree(root, resolve);
}

/** DataFusion names an unaliased `count(*)` column `count(*)`; DuckDB would say `count_star()`. */
function nameCountStar(root: AstNode): AstNode {
  if (str(root, 'type') !== 'SELECT_NODE') return root;
  const selectList = list(root, 'select_list').map((e) =>
    isNode(e) &&
    str(e, 'class') === 'FUNCTION' &&
    str(e, 'function_name') === 'count_star' &&
    str(e, 'alias') === ''
      ? { ...e, alias: 'count(*)' }
      : e,
  );
  return { ...root, select_list: selectList };
}

/**
 * Turns O2 SQL into DuckDB SQL over per-stream temp views: validates the tree, binds stream
 * names, rewrites O2 functions, applies O2's default order and limit rules.
 */
export async function planQuery(conn: DuckDBConnection, input: PlanInput): Promise<QueryPlan> {
  const parsed = removeDashboardPlaceholder(
    await parseUserSelect(conn, input.sql),
    input.dashboardPlaceholder ?? '',
  );
  assertSafeTree(parsed);
  const binder = new Binder(parsed, input);
  const rewritten = binder.rewrite(parsed, undefined) as AstNode;
  if (binder.streams.length === 0) {
    throw searchError(SEARCH_ERROR.streamNotFound, 'the query reads no stream');
  }
  const root = nameCountStar((await expandTemplates(conn, rewritten, binder.templates)) as AstNode);
  const ordered = applyOrderAndLimit(root, {
    from: input.from,
    size: input.size,
    defaultLimit: input.defaultLimit,
    aggregateFunctions: input.aggregateFunctions,
    streamViews: new Set(binder.streams.map((s) => s.view)),
  });
  const sql = await printSelect(conn, ordered.root);
  const countSql =
    input.trackTotalHits && !ordered.aggregate
      ? `SELECT count(*) FROM (${await printSelect(conn, ordered.unlimited)})`
      : undefined;
  const views = new Set(binder.streams.map((s) => s.view));
  const single = binder.streams.length === 1;
  // A total-hits count reads the same view, so it must keep the whole range.
  const timeTopN = countSql === undefined && single ? timeTopNOf(ordered.root, views) : undefined;
  return {
    sql,
    countSql,
    streams: binder.streams,
    histogramInterval: binder.histogramInterval,
    aggregate: ordered.aggregate,
    limit: ordered.limit,
    timeTopN,
    timeTopNProbe:
      timeTopN?.probe && `SELECT "_timestamp" FROM (${await printSelect(conn, timeTopN.probe)})`,
    inlineViews: !/^\s*WITH\b/i.test(sql),
    bareCount: single ? bareCountOf(ordered.root, views) : undefined,
    readsTimeRange: binder.readsTimeRange,
  };
}
