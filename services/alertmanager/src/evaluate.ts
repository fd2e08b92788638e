import { AppError } from '@o2/errors';
import {
  MAX_ALERT_ROWS,
  alertQuery,
  combineWindowRows,
  comparesWindows,
  comparisonWindows,
  promqlRows,
  thresholdMet,
} from '@o2/alerts';
import type { AlertDefinition } from '@o2/alerts';
import type { PromqlService, SearchService } from '@o2/domain';

export interface Evaluators {
  search?: SearchService;
  promql?: PromqlService;
}

export interface Evaluation {
  /** Rows (or groups, or samples) found; compared with the threshold. */
  count: number;
  /** Up to MAX_ALERT_ROWS of them, for `{rows}`. */
  rows: Array<Record<string, unknown>>;
  satisfied: boolean;
  sql: string;
}

type Hits = { hits?: unknown };
const hitsOf = (body: Hits): Array<Record<string, unknown>> =>
  Array.isArray(body.hits) ? (body.hits as Array<Record<string, unknown>>) : [];

/**
 * One evaluation of a scheduled alert over [startUs, endUs), through the querier's contracts (the
 * in-process querier on a single node, a gRPC client in a cluster), so it reads exactly what
 * `_search` and the Prometheus API would.
 */
export async function evaluateAlert(
  org: string,
  alert: AlertDefinition,
  window: { startUs: number; endUs: number },
  evaluators: Evaluators,
  minuteMs = 60_000,
): Promise<Evaluation> {
  const query = alertQuery(alert);
  const trigger = alert.trigger_condition;
  if (query.kind === 'promql') {
    if (evaluators.promql === undefined)
      throw new AppError('UNAVAILABLE', 'no querier for PromQL alerts');
    const answer = await evaluators.promql.query(org, {
      query: query.query,
      timeMs: Math.floor(window.endUs / 1000),
    });
    const rows = promqlRows(answer.data, query.condition);
    return {
      count: rows.length,
      rows: rows.slice(0, MAX_ALERT_ROWS),
      satisfied: thresholdMet(rows.length, trigger),
      sql: query.query,
    };
  }
  const search = evaluators.search;
  if (search === undefined) throw new AppError('UNAVAILABLE', 'no querier for SQL alerts');
  const type = alert.stream_type;
  const range = { startTime: window.startUs, endTime: window.endUs };
  if (query.countSql !== undefined) {
    const counted = hitsOf(
      await search.search(org, type, { sql: query.countSql, ...range, size: 1 }),
    );
    const count = Number(counted[0]?.['zo_sql_num'] ?? 0);
    const satisfied = thresholdMet(count, trigger);
    // Rows are fetched only when they will be sent.
    const rows = satisfied
      ? hitsOf(await search.search(org, type, { sql: query.sql, ...range, size: MAX_ALERT_ROWS }))
      : [];
    return { count, rows, satisfied, sql: query.sql };
  }
  // SQL and aggregation alerts: every row the query returns counts. With multi_time_range the
  // SQL runs once per window (current, then each shifted back) and the rows of all count.
  const windows = comparesWindows(alert)
    ? comparisonWindows(window, alert.query_condition.multi_time_range, minuteMs)
    : [{ ...window, offset: '' }];
  const perWindow: Array<Array<Record<string, unknown>>> = [];
  for (const w of windows) {
    const answer = await search.search(org, type, {
      sql: query.sql,
      startTime: w.startUs,
      endTime: w.endUs,
      size: 10_000,
    });
    perWindow.push(hitsOf(answer));
  }
  const all = combineWindowRows(perWindow);
  return {
    count: all.length,
    rows: all.slice(0, MAX_ALERT_ROWS),
    satisfied: thresholdMet(all.length, trigger),
    sql: query.sql,
  };
}
