/**
 * The label browser's click: `metric{label="value"}` — the matcher is added to the first selector
 * of `metric` in the query, replaced when that label already has one; with no selector of the
 * metric, the query becomes the metric with that matcher.
 */
export function withMatcher(query: string, metric: string, label: string, value: string): string {
  const escaped = value.replaceAll('\\', '\\\\').replaceAll('"', '\\"');
  const matcher = `${label}="${escaped}"`;
  const at = metric === '' ? -1 : findMetric(query, metric);
  if (at < 0) return `${metric}{${matcher}}`;
  const after = at + metric.length;
  if (query[after] !== '{') return `${query.slice(0, after)}{${matcher}}${query.slice(after)}`;
  const close = query.indexOf('}', after);
  if (close < 0) return query;
  const inside = query.slice(after + 1, close);
  const existing = new RegExp(`(^|,)\\s*${label}\\s*(=~|!~|!=|=)\\s*"(?:[^"\\\\]|\\\\.)*"`);
  const next = existing.test(inside)
    ? inside.replace(existing, (_m, lead: string) => `${lead}${matcher}`)
    : inside.trim() === ''
      ? matcher
      : `${inside},${matcher}`;
  return `${query.slice(0, after + 1)}${next}${query.slice(close)}`;
}

function findMetric(query: string, metric: string): number {
  const re = new RegExp(
    `(^|[^A-Za-z0-9_:])${metric.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![A-Za-z0-9_:])`,
  );
  const match = re.exec(query);
  return match === null ? -1 : match.index + match[1]!.length;
}
