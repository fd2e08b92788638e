import type { PromExemplarsQuery } from '@o2/domain';
import type { MetaStore } from '@o2/metastore';
import { formatFloatPlain, Labels } from '@o2/promql';
import type { Expr, VectorSelector } from '@o2/promql';
import { quoteIdentifier } from '../around-sql.js';
import type { MetricRowReader } from './metric-series-source.js';
import { microsRange } from './metric-series-source.js';
import { EXEMPLARS_COLUMN, labelMatchers, metricStreamsFor } from './metric-streams.js';
import { labelsJson } from './prom-json.js';
import { whereClause } from './selector-sql.js';

/** Rows with exemplars one selector reads at most (exemplars are a sample, not the data). */
const MAX_EXEMPLAR_ROWS = 10_000;

interface ExemplarJson {
  labels: Record<string, string>;
  value: string;
  timestamp: number;
}

function selectorsOf(expr: Expr, out: VectorSelector[] = []): VectorSelector[] {
  switch (expr.type) {
    case 'vectorSelector':
      out.push(expr);
      break;
    case 'matrixSelector':
      out.push(expr.selector);
      break;
    case 'subquery':
    case 'unary':
    case 'paren':
      selectorsOf(expr.expr, out);
      break;
    case 'binary':
      selectorsOf(expr.lhs, out);
      selectorsOf(expr.rhs, out);
      break;
    case 'aggregate':
      selectorsOf(expr.expr, out);
      break;
    case 'call':
      for (const arg of expr.args) selectorsOf(arg, out);
      break;
    case 'number':
    case 'string':
      break;
  }
  return out;
}

/** µs when the number is that large, else ms (OTLP keeps µs; other writers may keep ms). */
function seconds(ts: number): number {
  return ts > 1e14 ? ts / 1e6 : ts / 1e3;
}

/** One stored `exemplars` cell (a JSON array of `{attrs…, value, _timestamp}`) in the range. */
function exemplarsOf(cell: unknown, startMs: number, endMs: number): ExemplarJson[] {
  let list: unknown;
  try {
    list = typeof cell === 'string' ? JSON.parse(cell) : cell;
  } catch {
    return [];
  }
  if (!Array.isArray(list)) return [];
  const out: ExemplarJson[] = [];
  for (const item of list as unknown[]) {
    if (typeof item !== 'object' || item === null) continue;
    const { value, _timestamp: ts, ...attrs } = item as Record<string, unknown>;
    if (typeof value !== 'number' || typeof ts !== 'number') continue;
    const t = seconds(ts);
    if (t * 1000 < startMs || t * 1000 > endMs) continue;
    const labels: Record<string, string> = {};
    for (const [name, v] of Object.entries(attrs))
      if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean')
        labels[name] = String(v);
    out.push({ labels, value: formatFloatPlain(value), timestamp: t });
  }
  return out;
}

/**
 * `/api/v1/query_exemplars`: the exemplars stored with the series the query's selectors match,
 * from a metric stream's `exemplars` column when it has one; none otherwise (Prometheus answers
 * an empty list when it keeps no exemplars).
 */
export async function metricExemplars(
  expr: Expr,
  query: PromExemplarsQuery,
  deps: { org: string; metaStore: MetaStore; rows: MetricRowReader },
): Promise<Array<{ seriesLabels: Record<string, string>; exemplars: ExemplarJson[] }>> {
  const bySeries = new Map<string, { labels: Labels; exemplars: ExemplarJson[] }>();
  const range = microsRange({ startMs: query.startMs, endMs: query.endMs });
  for (const selector of selectorsOf(expr)) {
    for (const shape of await metricStreamsFor(deps.metaStore, deps.org, selector.matchers)) {
      if (!shape.exemplars) continue;
      const where = whereClause(labelMatchers(selector.matchers), shape);
      if (where === undefined) continue;
      const col = quoteIdentifier(EXEMPLARS_COLUMN);
      const filter = `${col} IS NOT NULL AND ${col} <> '' AND ${col} <> '[]'`;
      const clause = where === '' ? ` WHERE ${filter}` : `${where} AND ${filter}`;
      const labels = shape.labels.map(quoteIdentifier).join(', ');
      const sql = `SELECT ${labels}, ${col} FROM ${quoteIdentifier(shape.stream)}${clause} LIMIT ${MAX_EXEMPLAR_ROWS}`;
      for (const row of await deps.rows(sql, range)) {
        const pairs = shape.labels
          .map((name) => [name, row[name]] as const)
          .filter((p): p is readonly [string, string] => typeof p[1] === 'string' && p[1] !== '');
        const ls = Labels.from(pairs);
        const found = exemplarsOf(row[EXEMPLARS_COLUMN], query.startMs, query.endMs);
        if (found.length === 0) continue;
        const entry = bySeries.get(ls.key) ?? { labels: ls, exemplars: [] };
        entry.exemplars.push(...found);
        bySeries.set(ls.key, entry);
      }
    }
  }
  return [...bySeries.values()].map((s) => ({
    seriesLabels: labelsJson(s.labels),
    exemplars: s.exemplars.sort((a, b) => a.timestamp - b.timestamp),
  }));
}
