import { cellText } from './cell-text';
import { promqlLegend } from './legend';

/** What a panel draws: named series of [x, y] points (x is ms for time axes, else a label). */
export interface ChartSeries {
  name: string;
  points: Array<[number | string, number]>;
}

export interface ChartData {
  series: ChartSeries[];
  /** True when x is time (ms). */
  timeAxis: boolean;
  /** Raw rows for the table panel. */
  rows: Array<Record<string, unknown>>;
}

export interface PromMatrixEntry {
  metric: Record<string, string>;
  values?: Array<[number, string]>;
  value?: [number, string];
}

/** A `query_range` (matrix) or `query` (vector) result as series, named by the legend template. */
export function promSeries(result: readonly PromMatrixEntry[], legend: string): ChartData {
  const series = result.map((entry) => ({
    name: promqlLegend(legend, entry.metric),
    points: (entry.values ?? (entry.value === undefined ? [] : [entry.value])).map(
      ([t, v]) => [t * 1000, Number(v)] as [number, number],
    ),
  }));
  const rows = series.map((s) => ({ series: s.name, value: s.points.at(-1)?.[1] ?? null }));
  return { series, timeAxis: true, rows };
}

function toMs(value: unknown): number | string {
  if (typeof value === 'number') return value > 1e14 ? value / 1000 : value;
  if (typeof value === 'string') {
    const parsed = Date.parse(value.endsWith('Z') || value.includes('+') ? value : `${value}Z`);
    return Number.isNaN(parsed) ? value : parsed;
  }
  return cellText(value);
}

/**
 * SQL rows as series: the first X alias is the axis, each Y alias a series, split by the
 * breakdown alias when there is one (`<breakdown value>` names the series).
 */
export function sqlSeries(
  rows: ReadonlyArray<Record<string, unknown>>,
  xAlias: string | undefined,
  yAliases: readonly string[],
  breakdownAlias: string | undefined,
): ChartData {
  const timeAxis = xAlias !== undefined && rows.some((r) => typeof toMs(r[xAlias]) === 'number');
  const byName = new Map<string, ChartSeries>();
  for (const row of rows) {
    const x = xAlias === undefined ? '' : timeAxis ? toMs(row[xAlias]) : cellText(row[xAlias]);
    for (const y of yAliases) {
      const split = breakdownAlias === undefined ? '' : cellText(row[breakdownAlias]);
      const name = split === '' ? y : yAliases.length > 1 ? `${split} ${y}` : split;
      const series = byName.get(name) ?? { name, points: [] };
      series.points.push([x, Number(row[y])]);
      byName.set(name, series);
    }
  }
  return { series: [...byName.values()], timeAxis, rows: [...rows] };
}
