import { encodeQuery, equalsFilter } from '../logs/query';

/** How far around a trace the jump to its logs searches (µs): log lines trail their spans. */
export const LOGS_MARGIN_US = 60 * 1_000_000;

/** The trace detail route (UI-SPEC §8.2): `/traces/trace-details?stream=&trace_id=&from=&to=`. */
export function traceDetailsPath(
  org: string,
  stream: string,
  traceId: string,
  range?: { startNs: number; endNs: number },
): string {
  const params = new URLSearchParams({ stream, trace_id: traceId });
  if (range !== undefined) {
    // µs, half-open: the end covers the last span's end.
    params.set('from', String(Math.floor(range.startNs / 1000)));
    params.set('to', String(Math.ceil(range.endNs / 1000) + 1));
  }
  params.set('org_identifier', org);
  return `/traces/trace-details?${params.toString()}`;
}

/**
 * The logs explorer on a log stream filtered by the trace (and span) id over the trace's window
 * widened by a minute each side, as O2's "View logs" opens it.
 */
export function traceLogsPath(
  org: string,
  logStream: string,
  traceId: string,
  range: { startNs: number; endNs: number },
  spanId?: string,
): string {
  const filter = [equalsFilter('trace_id', traceId, false)];
  if (spanId !== undefined) filter.push(equalsFilter('span_id', spanId, false));
  const params = new URLSearchParams({
    stream: logStream,
    from: String(Math.floor(range.startNs / 1000) - LOGS_MARGIN_US),
    to: String(Math.ceil(range.endNs / 1000) + LOGS_MARGIN_US),
    sql_mode: 'false',
    query: encodeQuery(filter.join(' AND ')),
    org_identifier: org,
  });
  return `/logs?${params.toString()}`;
}

const quoteIdent = (name: string) => `"${name.replaceAll('"', '""')}"`;
const where = (filter: string) => (filter.trim() === '' ? '' : ` WHERE (${filter.trim()})`);

/** One row per trace for the duration scatter: start (ns), duration (ns), error spans. */
export function scatterSql(stream: string, filter: string): string {
  return (
    `SELECT trace_id, min(start_time) AS trace_start, max(end_time) - min(start_time) AS trace_ns, ` +
    `sum(CASE WHEN span_status = 'ERROR' THEN 1 ELSE 0 END) AS errors ` +
    `FROM ${quoteIdent(stream)}${where(filter)} GROUP BY trace_id ORDER BY trace_start DESC`
  );
}

export const PERCENTILES = [25, 50, 75, 95, 99] as const;

/** Span duration percentiles (µs) under the filter: the duration facet's body. */
export function percentilesSql(stream: string, filter: string): string {
  const columns = PERCENTILES.map(
    (p) => `approx_percentile_cont(duration, ${p / 100}) AS p${p}`,
  ).join(', ');
  return `SELECT ${columns} FROM ${quoteIdent(stream)}${where(filter)}`;
}

/** Adds `clause` to a span filter with AND. */
export function andFilter(filter: string, clause: string): string {
  return filter.trim() === '' ? clause : `${filter.trim()} AND ${clause}`;
}
