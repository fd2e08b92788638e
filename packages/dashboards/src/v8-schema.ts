import { z } from 'zod';

/**
 * O2's v8 dashboard document (O2-CONTRACT §11), as the keys O2's deserializer insists on. Every
 * object is loose: keys we do not name pass through untouched, because the document is stored as
 * the text the client sent and a newer O2 UI may add keys this schema has never heard of. A key
 * is required here exactly when O2 rejects a document without it (422).
 */

/** The chart kinds O2's panel editor offers (a document may carry others; they are kept). */
export const PANEL_TYPES = [
  'area',
  'area-stacked',
  'bar',
  'h-bar',
  'stacked',
  'h-stacked',
  'line',
  'scatter',
  'pie',
  'donut',
  'table',
  'metric',
  'gauge',
  'heatmap',
  'geomap',
  'maps',
  'sankey',
  'html',
  'markdown',
  'custom_chart',
] as const;
export type PanelType = (typeof PANEL_TYPES)[number];

/** The variable kinds of the settings drawer (UI-SPEC §7.4). */
export const VARIABLE_TYPES = [
  'query_values',
  'custom',
  'constant',
  'textbox',
  'dynamic_filters',
] as const;
export type VariableType = (typeof VARIABLE_TYPES)[number];

// No messages here: `checkSchema`'s error map words every issue the same way (`… is required`,
// `… must be of type string`).
const text = () => z.string();
const flag = () => z.boolean();
const number = () => z.number();
/** O2's `Option<T>`: absent and null both mean "not set". */
const opt = <S extends z.ZodType>(schema: S) => schema.nullish();

export const layoutSchema = z.looseObject({
  x: opt(number()),
  y: opt(number()),
  w: opt(number()),
  h: opt(number()),
  i: opt(z.union([number(), text()])),
});

export const axisItemSchema = z.looseObject({
  label: text(),
  alias: text(),
  column: opt(text()),
  type: opt(z.enum(['build', 'raw', 'custom'])),
  color: opt(text()),
  functionName: opt(text()),
  sortBy: opt(text()),
  args: opt(z.array(z.looseObject({ type: opt(text()), value: opt(z.unknown()) }))),
  isDerived: opt(flag()),
  treatAsNonTimestamp: opt(flag()),
  showFieldAsJson: opt(flag()),
  rawQuery: opt(text()),
});
export type AxisItem = z.infer<typeof axisItemSchema>;

export const filterConditionSchema = z.looseObject({
  type: text(),
  values: z.array(text()),
  column: opt(z.looseObject({ field: opt(text()), streamAlias: opt(text()) })),
  operator: opt(text()),
  value: opt(text()),
  logicalOperator: text(),
  filterType: text(),
});
export type FilterCondition = z.infer<typeof filterConditionSchema>;

export interface FilterGroup {
  filterType: string;
  logicalOperator: string;
  conditions: Array<FilterGroup | FilterCondition>;
  [key: string]: unknown;
}

/** O2's untagged `PanelFilter`: a group (with nested conditions) or a single condition. */
export const panelFilterSchema: z.ZodType<FilterGroup | FilterCondition> = z.lazy(() =>
  z.union([
    z.looseObject({
      filterType: text(),
      logicalOperator: text(),
      conditions: z.array(panelFilterSchema),
    }),
    filterConditionSchema,
  ]),
);

const axisList = () => z.array(axisItemSchema);

export const panelFieldsSchema = z.looseObject({
  stream: text(),
  stream_type: text(),
  x: axisList(),
  y: axisList(),
  z: opt(axisList()),
  breakdown: opt(axisList()),
  filter: panelFilterSchema,
  promql_labels: opt(z.array(z.looseObject({ label: text(), op: text(), value: text() }))),
  promql_operations: opt(z.array(z.looseObject({ id: text() }))),
});
export type PanelFields = z.infer<typeof panelFieldsSchema>;

export const queryConfigSchema = z.looseObject({
  promql_legend: text(),
  step_value: opt(text()),
  time_shift: opt(z.array(z.looseObject({ offSet: opt(text()) }))),
});

export const panelQuerySchema = z.looseObject({
  query: opt(text()),
  vrlFunctionQuery: opt(text()),
  customQuery: flag(),
  fields: panelFieldsSchema,
  config: queryConfigSchema,
  joins: opt(z.array(z.looseObject({ stream: text(), streamAlias: text(), joinType: text() }))),
});
export type PanelQuery = z.infer<typeof panelQuerySchema>;

export const panelConfigSchema = z.looseObject({
  show_legends: flag(),
  legends_position: opt(text()),
  unit: opt(text()),
  unit_custom: opt(text()),
  decimals: opt(number()),
});
export type PanelConfig = z.infer<typeof panelConfigSchema>;

export const panelSchema = z.looseObject({
  id: text(),
  type: text(),
  title: text(),
  description: text(),
  config: panelConfigSchema,
  queryType: opt(text()),
  queries: z.array(panelQuerySchema),
  layout: opt(layoutSchema),
  htmlContent: opt(text()),
  markdownContent: opt(text()),
  customChartContent: opt(text()),
});
export type Panel = z.infer<typeof panelSchema>;

export const tabSchema = z.looseObject({
  tabId: text(),
  name: text(),
  panels: opt(z.array(panelSchema)),
});
export type Tab = z.infer<typeof tabSchema>;

export const variableSchema = z.looseObject({
  type: opt(text()),
  name: opt(text()),
  label: opt(text()),
  query_data: opt(
    z.looseObject({
      stream_type: opt(text()),
      stream: opt(text()),
      field: opt(text()),
      max_record_size: opt(number()),
      filter: opt(z.array(z.looseObject({ value: opt(text()) }))),
    }),
  ),
  value: opt(z.union([text(), z.array(text())])),
  options: opt(z.array(z.looseObject({ label: opt(text()), value: opt(text()) }))),
  multiSelect: opt(flag()),
  hideOnDashboard: opt(flag()),
});
export type Variable = z.infer<typeof variableSchema>;

export const dateTimeOptionsSchema = z.looseObject({
  type: opt(text()),
  relativeTimePeriod: opt(text()),
  startTime: opt(number()),
  endTime: opt(number()),
});

export const dashboardV8Schema = z.looseObject({
  version: opt(z.literal(8)),
  dashboardId: opt(text()),
  title: text(),
  description: opt(text()),
  role: opt(text()),
  owner: opt(text()),
  created: opt(text()),
  tabs: opt(z.array(tabSchema)),
  variables: opt(
    z.looseObject({
      list: opt(z.array(variableSchema)),
      showDynamicFilters: opt(flag()),
    }),
  ),
  defaultDatetimeDuration: opt(dateTimeOptionsSchema),
});
export type DashboardV8 = z.infer<typeof dashboardV8Schema>;
