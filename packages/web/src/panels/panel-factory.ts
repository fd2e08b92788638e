import { DEFAULT_TAB, addPanel, allPanels, findPanel } from '@o2/dashboards';
import type { AxisItem, DashboardV8, Panel, PanelFields, PanelQuery } from '@o2/dashboards';

/**
 * New panels, queries and dashboards in O2's v8 shape, typed by `@o2/dashboards` (the one
 * panel schema the router, the metrics page and the dashboards pages share).
 */

export type QueryType = 'sql' | 'promql';

/** The chart kinds the panel editor offers, with O2's ids and labels. */
export const CHART_TYPES = [
  { value: 'line', label: 'Line' },
  { value: 'area', label: 'Area' },
  { value: 'area-stacked', label: 'Area Stacked' },
  { value: 'bar', label: 'Bar' },
  { value: 'h-bar', label: 'H-Bar' },
  { value: 'stacked', label: 'Stacked' },
  { value: 'h-stacked', label: 'H-Stacked' },
  { value: 'scatter', label: 'Scatter' },
  { value: 'pie', label: 'Pie' },
  { value: 'donut', label: 'Donut' },
  { value: 'heatmap', label: 'Heatmap' },
  { value: 'table', label: 'Table' },
  { value: 'metric', label: 'Metric Text' },
  { value: 'gauge', label: 'Gauge' },
] as const;

/** O2-style ids: `Panel_ID` + digits, unique within the dashboard. */
export function newPanelId(taken: ReadonlySet<string> = new Set()): string {
  for (;;) {
    const id = `Panel_ID${Math.floor(1_000_000 + Math.random() * 8_999_999)}`;
    if (!taken.has(id)) return id;
  }
}

export const emptyFilter = () => ({ filterType: 'group', logicalOperator: 'AND', conditions: [] });

/** A build-mode axis item: `functionName(column)` under `alias`. */
export function axisItem(alias: string, column: string, functionName: string | null): AxisItem {
  return {
    label: functionName === null ? column : `${functionName}(${column})`,
    alias,
    column,
    type: 'build',
    functionName,
    args: [{ type: 'field', value: { field: column } }],
  };
}

/** The builder's starting fields: time buckets on X, `count` on Y. */
export function defaultFields(stream: string, streamType: string): PanelFields {
  return {
    stream,
    stream_type: streamType,
    x: stream === '' ? [] : [axisItem('x_axis_1', '_timestamp', 'histogram')],
    y: stream === '' ? [] : [axisItem('y_axis_1', '_timestamp', 'count')],
    z: [],
    breakdown: [],
    filter: emptyFilter(),
  };
}

export function newQuery(
  queryType: QueryType,
  query: string,
  stream = '',
  legend = '',
): PanelQuery {
  return {
    query,
    vrlFunctionQuery: '',
    customQuery: queryType === 'promql' || query !== '',
    fields: defaultFields(
      queryType === 'promql' ? '' : stream,
      queryType === 'promql' ? 'metrics' : 'logs',
    ),
    config: {
      promql_legend: legend,
      layer_type: 'scatter',
      weight_fixed: 1,
      limit: 0,
      min: 0,
      max: 100,
    },
  };
}

export interface NewPanel {
  type: string;
  queryType: QueryType;
  title: string;
  query: string;
  stream?: string;
  legend?: string;
  unit?: string;
  id?: string;
}

export function newPanel(p: NewPanel): Panel {
  return {
    id: p.id ?? newPanelId(),
    type: p.type,
    title: p.title,
    description: '',
    config: {
      show_legends: true,
      legends_position: null,
      unit: p.unit ?? null,
      unit_custom: null,
      decimals: 2,
      axis_border_show: false,
      promql_table_mode: 'single',
    },
    queryType: p.queryType,
    queries: [newQuery(p.queryType, p.query, p.stream, p.legend)],
    htmlContent: '',
    markdownContent: '',
  };
}

export function newDashboard(title: string, description: string): DashboardV8 {
  return {
    version: 8,
    title,
    description,
    tabs: [{ ...DEFAULT_TAB, panels: [] }],
    variables: { list: [], showDynamicFilters: false },
    defaultDatetimeDuration: {
      type: 'relative',
      relativeTimePeriod: '15m',
      startTime: 0,
      endTime: 0,
    },
  };
}

const quoteIdent = (name: string) => `"${name.replaceAll('"', '""')}"`;

function itemSql(item: AxisItem): string {
  const column = item.column ?? '';
  if (item.type === 'custom' || item.type === 'raw') return item.rawQuery ?? quoteIdent(column);
  const fn = item.functionName ?? null;
  const col = quoteIdent(column);
  switch (fn) {
    case null:
    case '':
      return col;
    case 'count-distinct':
      return `count(distinct(${col}))`;
    case 'p50':
    case 'p90':
    case 'p95':
    case 'p99':
      return `approx_percentile_cont(${col}, ${Number(fn.slice(1)) / 100})`;
    default:
      return `${fn}(${col})`;
  }
}

/**
 * The SQL a builder-mode query runs: X and breakdown are grouped, Y aggregated; the time axis
 * ascending. Column names are quoted, so a field name never becomes SQL.
 */
export function builderSql(fields: PanelFields): string {
  const groups = [...fields.x, ...(fields.breakdown ?? [])];
  const select = [...groups, ...fields.y].map((i) => `${itemSql(i)} as ${quoteIdent(i.alias)}`);
  if (select.length === 0 || fields.stream === '') return '';
  let sql = `SELECT ${select.join(', ')} FROM ${quoteIdent(fields.stream)}`;
  if (groups.length > 0 && fields.y.length > 0)
    sql += ` GROUP BY ${groups.map((g) => quoteIdent(g.alias)).join(', ')}`;
  const x = fields.x[0];
  if (x !== undefined) sql += ` ORDER BY ${quoteIdent(x.alias)} ASC`;
  return sql;
}

/** The text a query runs: its custom text, or the builder's SQL. */
export function queryText(query: PanelQuery, queryType: string | null | undefined): string {
  if (queryType === 'promql' || query.customQuery) return query.query ?? '';
  return builderSql(query.fields);
}

/** A copy of panel `panelId` (new id, title + " - Copy") placed below the tab's panels. */
export function duplicatePanel(
  dashboard: DashboardV8,
  panelId: string,
  tabId?: string,
): DashboardV8 {
  const found = findPanel(dashboard, panelId, tabId);
  if (found === undefined) return dashboard;
  const taken = new Set(allPanels(dashboard).map((p) => p.panel.id));
  const { layout: _placedByAddPanel, ...rest } = found.panel;
  const copy = { ...rest, id: newPanelId(taken), title: `${found.panel.title} - Copy` };
  return addPanel(dashboard, copy, found.tabId).dashboard;
}
