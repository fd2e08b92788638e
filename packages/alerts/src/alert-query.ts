import { AppError } from '@o2/errors';
import type { AggregationFunction, AlertDefinition } from './alert-model.js';
import { compareValues, conditionSql, parseConditions, quoteIdent } from './conditions.js';
import type { ConditionOperator } from './conditions.js';

/**
 * What a scheduled alert asks the querier, and how the answer decides it:
 * - `custom` without aggregation: the rows matching the conditions in the period; their count is
 *   compared with the trigger threshold;
 * - `custom` with aggregation: one row per group whose aggregate passes `having`; the number of
 *   such groups is compared with the threshold;
 * - `sql`: the user's query over the period; the number of rows it returns is compared;
 * - `promql`: an instant query at the end of the period; the samples whose value passes
 *   `promql_condition` are the rows, and their number is compared.
 */
export type AlertQuery =
  | { kind: 'sql'; sql: string; countSql?: string }
  | { kind: 'promql'; query: string; condition: { operator: ConditionOperator; value: number } };

/** How many rows an evaluation keeps for `{rows}` and history. */
export const MAX_ALERT_ROWS = 100;

const aggregate = (fn: AggregationFunction, column: string): string => {
  const c = quoteIdent(column);
  switch (fn) {
    case 'avg':
    case 'min':
    case 'max':
    case 'sum':
    case 'count':
    case 'median':
      return `${fn}(${c})`;
    case 'p50':
    case 'p75':
    case 'p90':
    case 'p95':
    case 'p99':
      return `approx_percentile_cont(${c}, ${Number(fn.slice(1)) / 100})`;
  }
};

/** The value column an aggregation alert's rows carry (O2's alias). */
export const AGGREGATE_ALIAS = 'zo_sql_val';

export function alertQuery(alert: AlertDefinition): AlertQuery {
  const q = alert.query_condition;
  if (q.type === 'sql') return { kind: 'sql', sql: q.sql };
  if (q.type === 'promql') {
    const c = q.promql_condition;
    if (c === undefined) throw AppError.invalidArgument('promql_condition is required');
    const value = Number(c.value);
    if (!Number.isFinite(value))
      throw AppError.invalidArgument('promql_condition value must be a number');
    return { kind: 'promql', query: q.promql, condition: { operator: c.operator, value } };
  }
  const from = quoteIdent(alert.stream_name);
  const where = conditionSql(parseConditions(q.conditions));
  const agg = q.aggregation;
  if (agg === undefined) {
    return {
      kind: 'sql',
      sql: `SELECT * FROM ${from} WHERE ${where}`,
      countSql: `SELECT COUNT(*) AS "zo_sql_num" FROM ${from} WHERE ${where}`,
    };
  }
  const expr = aggregate(agg.function, agg.having.column);
  const groups = agg.group_by.map(quoteIdent);
  const having = Number(agg.having.value);
  if (!Number.isFinite(having)) throw AppError.invalidArgument('having value must be a number');
  const op = agg.having.operator;
  if (op === 'contains' || op === 'not_contains')
    throw AppError.invalidArgument('having needs a comparison operator');
  const select = [...groups, `${expr} AS "${AGGREGATE_ALIAS}"`].join(', ');
  const groupBy = groups.length === 0 ? '' : ` GROUP BY ${groups.join(', ')}`;
  return {
    kind: 'sql',
    sql: `SELECT ${select} FROM ${from} WHERE ${where}${groupBy} HAVING ${expr} ${op} ${having}`,
  };
}

/** Whether `count` rows meet the trigger condition (`count operator threshold`). */
export function thresholdMet(
  count: number,
  trigger: { operator: ConditionOperator; threshold: number },
): boolean {
  if (trigger.operator === 'contains' || trigger.operator === 'not_contains') return count > 0;
  return compareValues(count, trigger.operator, trigger.threshold);
}

/** The samples of an instant vector (`{metric, value:[t,"v"]}`) that pass the condition. */
export function promqlRows(
  data: unknown,
  condition: { operator: ConditionOperator; value: number },
): Array<Record<string, unknown>> {
  const result = (data as { result?: unknown } | undefined)?.result;
  const samples = Array.isArray(result) ? result : [];
  const rows: Array<Record<string, unknown>> = [];
  for (const s of samples as Array<{ metric?: Record<string, string>; value?: unknown }>) {
    const pair = Array.isArray(s.value) ? s.value : [];
    const value = Number(pair[1]);
    if (!Number.isFinite(value)) continue;
    if (condition.operator === 'contains' || condition.operator === 'not_contains') continue;
    if (!compareValues(value, condition.operator, condition.value)) continue;
    rows.push({ ...(s.metric ?? {}), value, _timestamp: Math.round(Number(pair[0]) * 1e6) });
  }
  return rows;
}
