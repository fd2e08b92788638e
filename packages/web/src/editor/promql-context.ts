/**
 * Where the cursor is in a PromQL expression, for completion: naming a metric or function, naming
 * a label inside `{}` (of which metric), or writing a label's value inside quotes.
 */
export type PromqlSpot =
  | { kind: 'metric'; prefix: string }
  | { kind: 'label'; metric: string | undefined; prefix: string }
  | { kind: 'value'; metric: string | undefined; label: string; prefix: string };

/** Reads the text before the cursor; `{…}` not closed yet means we are in a matcher list. */
export function promqlSpot(before: string): PromqlSpot {
  const open = before.lastIndexOf('{');
  const close = before.lastIndexOf('}');
  if (open > close) {
    const metric = /([A-Za-z_:][A-Za-z0-9_:]*)\s*$/.exec(before.slice(0, open))?.[1];
    const inside = before.slice(open + 1);
    const value = /([A-Za-z_][A-Za-z0-9_]*)\s*(?:=~|!~|!=|=)\s*"([^"]*)$/.exec(inside);
    if (value !== null) return { kind: 'value', metric, label: value[1]!, prefix: value[2]! };
    const label = /(?:^|[,{\s])([A-Za-z_][A-Za-z0-9_]*)?$/.exec(inside);
    return { kind: 'label', metric, prefix: label?.[1] ?? '' };
  }
  // `by (` / `without (`: label names of the expression.
  if (/\b(?:by|without)\s*\([^)]*$/.test(before)) {
    const prefix = /([A-Za-z_][A-Za-z0-9_]*)$/.exec(before)?.[1] ?? '';
    return { kind: 'label', metric: undefined, prefix };
  }
  return { kind: 'metric', prefix: /([A-Za-z_:][A-Za-z0-9_:]*)$/.exec(before)?.[1] ?? '' };
}

/** PromQL's functions and aggregations with a one-line description (the catalog). */
export const PROMQL_FUNCTIONS: ReadonlyArray<readonly [string, string]> = [
  ['sum', 'Sum over dimensions'],
  ['avg', 'Average over dimensions'],
  ['min', 'Minimum over dimensions'],
  ['max', 'Maximum over dimensions'],
  ['count', 'Count of elements in the vector'],
  ['stddev', 'Population standard deviation over dimensions'],
  ['topk', 'Largest k elements by sample value'],
  ['bottomk', 'Smallest k elements by sample value'],
  ['quantile', 'φ-quantile over dimensions'],
  ['count_values', 'Count elements with the same value'],
  ['rate', 'Per-second average rate of increase of a counter range'],
  ['irate', 'Per-second instant rate from the last two samples'],
  ['increase', 'Increase of a counter over the range'],
  ['delta', 'Difference between first and last value of a gauge range'],
  ['deriv', 'Per-second derivative by linear regression'],
  ['histogram_quantile', 'φ-quantile from histogram buckets'],
  ['avg_over_time', 'Average of all points in the range'],
  ['sum_over_time', 'Sum of all points in the range'],
  ['max_over_time', 'Maximum of all points in the range'],
  ['min_over_time', 'Minimum of all points in the range'],
  ['count_over_time', 'Count of all points in the range'],
  ['last_over_time', 'Most recent point in the range'],
  ['abs', 'Absolute value'],
  ['ceil', 'Round up'],
  ['floor', 'Round down'],
  ['round', 'Round to the nearest integer'],
  ['clamp_min', 'Clamp to a lower bound'],
  ['clamp_max', 'Clamp to an upper bound'],
  ['absent', 'Empty if the vector has elements, else 1'],
  ['label_replace', 'Rewrite a label by regular expression'],
  ['label_join', 'Join label values into a new label'],
  ['sort', 'Sort ascending by value'],
  ['sort_desc', 'Sort descending by value'],
  ['time', 'Seconds since the epoch'],
  ['vector', 'Scalar as a vector'],
  ['scalar', 'Single-element vector as a scalar'],
];
