import { quoteIdent, quoteLiteral } from './sql-text.js';

/**
 * The SQL behind O2's trace APIs (O2-CONTRACT §9.2), over one `traces` stream whose rows are the
 * §9.1 span record. Every query is plain `_search` SQL: it runs through the querier's normal
 * validation, snapshot and (in a cluster) distribution, so the trace APIs need no RPC of their
 * own. Names are quoted, values are escaped literals, and a user filter has passed `checkFilter`.
 */
export type TraceSortBy = 'start_time' | 'duration';
export type SortOrder = 'asc' | 'desc';

/** The optional §9.1 columns a stream may lack (a column exists once some span carried it). */
export interface TraceColumns {
  has(column: string): boolean;
}

const PARENT = 'reference_parent_span_id';

const where = (filter: string | undefined) =>
  filter === undefined || filter === '' ? '' : ` WHERE (${filter})`;

const idList = (ids: readonly string[]) => ids.map(quoteLiteral).join(', ');

/** One row per trace of the page: its bounds in ns, span and error counts (§9.2's first query). */
export function latestTracesSql(
  stream: string,
  filter: string | undefined,
  sortBy: TraceSortBy,
  order: SortOrder,
): string {
  const sortKey = sortBy === 'duration' ? 'zo_sql_duration' : 'trace_start_time';
  return (
    `SELECT trace_id, min(_timestamp) AS zo_sql_timestamp, min(start_time) AS trace_start_time, ` +
    `max(end_time) AS trace_end_time, max(end_time) - min(start_time) AS zo_sql_duration, ` +
    `count(*) AS span_count, ` +
    `sum(CASE WHEN span_status = 'ERROR' THEN 1 ELSE 0 END) AS error_count ` +
    `FROM ${quoteIdent(stream)}${where(filter)} GROUP BY trace_id ` +
    `ORDER BY ${sortKey} ${order === 'asc' ? 'ASC' : 'DESC'}, trace_id ASC`
  );
}

/** How many traces the filter matches in the window: `total` of the §9.2 answer. */
export function traceCountSql(stream: string, filter: string | undefined): string {
  return `SELECT count(DISTINCT trace_id) AS total FROM ${quoteIdent(stream)}${where(filter)}`;
}

/** Per trace and service: span count and the longest span (µs), for `service_name: [...]`. */
export function serviceBreakdownSql(stream: string, traceIds: readonly string[]): string {
  return (
    `SELECT trace_id, service_name, count(*) AS span_count, max(duration) AS duration ` +
    `FROM ${quoteIdent(stream)} WHERE trace_id IN (${idList(traceIds)}) ` +
    `GROUP BY trace_id, service_name ORDER BY trace_id, span_count DESC, service_name`
  );
}

/**
 * The root spans (no parent) of some traces, earliest first: `first_event`. A stream that has
 * never seen a parent column has only roots, so the condition is dropped there.
 */
export function rootSpansSql(
  stream: string,
  traceIds: readonly string[],
  columns: TraceColumns,
): string {
  const rootOnly = columns.has(PARENT) ? ` AND (${PARENT} IS NULL OR ${PARENT} = '')` : '';
  return (
    `SELECT trace_id, service_name, operation_name, start_time FROM ${quoteIdent(stream)} ` +
    `WHERE trace_id IN (${idList(traceIds)})${rootOnly} ORDER BY start_time ASC`
  );
}

/** Every span of one trace by start time (`/details`, and O2's UI query). */
export function traceSpansSql(stream: string, traceId: string): string {
  return (
    `SELECT * FROM ${quoteIdent(stream)} WHERE trace_id = ${quoteLiteral(traceId)} ` +
    `ORDER BY start_time ASC`
  );
}

/** The spans of one trace as DAG nodes: ids, parent, names, timing, status. */
export function traceDagSql(stream: string, traceId: string, columns: TraceColumns): string {
  const parent = columns.has(PARENT) ? PARENT : `NULL`;
  return (
    `SELECT span_id, ${parent} AS parent_span_id, service_name, operation_name, span_kind, ` +
    `span_status, start_time, end_time, duration FROM ${quoteIdent(stream)} ` +
    `WHERE trace_id = ${quoteLiteral(traceId)} ORDER BY start_time ASC`
  );
}

/** The first and last `_timestamp` (µs) of a trace and its span bounds in ns. */
export function traceTimeRangeSql(stream: string, traceId: string): string {
  return (
    `SELECT min(_timestamp) AS first_ts, max(_timestamp) AS last_ts, ` +
    `max(end_time) AS trace_end_time, count(*) AS span_count FROM ${quoteIdent(stream)} ` +
    `WHERE trace_id = ${quoteLiteral(traceId)}`
  );
}
