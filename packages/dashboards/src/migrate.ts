/**
 * Older dashboard documents (v1–v7) read into the v8 shape. Each step is one of O2's documented
 * shape changes; the steps are written to be harmless on a document that already has the newer
 * shape, since exports in the wild often carry a stale `version` number.
 *
 * - v1 → v2: a panel's `fields`/`query`/`customQuery` move into `queries[0]`, its title and
 *   description out of `config`; the top-level `layouts` (matched by `panelId`) become each
 *   panel's `layout`.
 * - v2 → v3: the grid goes from 12 to 48 columns (`x` and `w` × 4) and the panels move into a
 *   `Default` tab.
 * - v3 → v7: additive (`vrlFunctionQuery`, `breakdown`, `isDerived`, …), except that a query's
 *   `filter`, once a list of conditions, becomes an AND group of conditions.
 * - v7 → v8: an axis item's `aggregationFunction` + `column` become `type: "build"`,
 *   `functionName` and `args` (the column first, then the old arguments); a filter condition's
 *   `column` string becomes `{ field }`.
 */

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const objects = (value: unknown): Json[] => (Array.isArray(value) ? value.filter(isObject) : []);

/** The version a document declares; a document with none is v1 when it has top-level panels. */
export function declaredVersion(doc: Json): number | undefined {
  const version = doc['version'];
  if (version === undefined || version === null) {
    return Array.isArray(doc['panels']) && doc['tabs'] === undefined ? 1 : 8;
  }
  return typeof version === 'number' && Number.isInteger(version) ? version : undefined;
}

function v1PanelToV2(panel: Json, layout: Json | undefined): Json {
  const config = isObject(panel['config']) ? panel['config'] : {};
  const {
    title = '',
    description = '',
    promql_legend: promqlLegend,
    ...panelConfig
  } = config as Json & { title?: unknown; description?: unknown; promql_legend?: unknown };
  const fields = isObject(panel['fields']) ? panel['fields'] : {};
  const out: Json = {
    id: panel['id'],
    type: panel['type'],
    title,
    description,
    config: panelConfig,
    queryType: panel['queryType'] ?? panel['query_type'] ?? 'sql',
    queries: [
      {
        query: panel['query'] ?? '',
        customQuery: panel['customQuery'] ?? false,
        fields: {
          stream: fields['stream'] ?? '',
          stream_type: fields['stream_type'] ?? 'logs',
          x: fields['x'] ?? [],
          y: fields['y'] ?? [],
          z: [],
          filter: fields['filter'] ?? [],
        },
        config: { promql_legend: typeof promqlLegend === 'string' ? promqlLegend : '' },
      },
    ],
  };
  if (layout !== undefined) out['layout'] = layout;
  return out;
}

function v1ToV2(doc: Json): void {
  const layouts = new Map<unknown, Json>();
  for (const l of objects(doc['layouts'])) {
    layouts.set(l['panelId'], { x: l['x'], y: l['y'], w: l['w'], h: l['h'], i: l['i'] });
  }
  doc['panels'] = objects(doc['panels']).map((p) =>
    // A panel that already has `queries` is past v1 whatever its document says.
    Array.isArray(p['queries']) ? p : v1PanelToV2(p, layouts.get(p['id'])),
  );
  delete doc['layouts'];
}

function v2ToV3(doc: Json): void {
  if (Array.isArray(doc['tabs'])) return;
  const panels = objects(doc['panels']);
  for (const panel of panels) {
    const layout = panel['layout'];
    if (!isObject(layout)) continue;
    for (const key of ['x', 'w'] as const) {
      if (typeof layout[key] === 'number') layout[key] = layout[key] * 4;
    }
  }
  doc['tabs'] = [{ tabId: 'default', name: 'Default', panels }];
  delete doc['panels'];
}

function eachQuery(doc: Json, visit: (query: Json) => void): void {
  for (const tab of objects(doc['tabs'])) {
    for (const panel of objects(tab['panels'])) {
      for (const query of objects(panel['queries'])) visit(query);
    }
  }
}

function conditionFromV4(filter: Json): Json {
  return {
    type: filter['type'] ?? 'condition',
    values: filter['values'] ?? [],
    column: filter['column'] ?? '',
    operator: filter['operator'] ?? null,
    value: filter['value'] ?? null,
    logicalOperator: 'AND',
    filterType: 'condition',
  };
}

function listFiltersToGroup(doc: Json): void {
  eachQuery(doc, (query) => {
    const fields = query['fields'];
    if (!isObject(fields) || !Array.isArray(fields['filter'])) return;
    fields['filter'] = {
      filterType: 'group',
      logicalOperator: 'AND',
      conditions: objects(fields['filter']).map(conditionFromV4),
    };
  });
}

function axisItemToV8(item: Json): void {
  if (item['type'] !== undefined || item['functionName'] !== undefined) return;
  const fn = item['aggregationFunction'];
  const column = item['column'];
  const oldArgs = objects(item['args']).map((a) => ({ type: 'number', value: a['value'] }));
  const fieldArg =
    typeof column === 'string' && column !== ''
      ? [{ type: 'field', value: { field: column } }]
      : [];
  if (fn === 'histogram') {
    // The interval of a v7 histogram is its one argument.
    oldArgs.forEach((a) => (a.type = 'histogramInterval'));
  }
  item['type'] = 'build';
  item['functionName'] = typeof fn === 'string' ? fn : null;
  item['args'] = [...fieldArg, ...oldArgs];
  delete item['aggregationFunction'];
}

function conditionColumnToV8(filter: Json): void {
  if (filter['filterType'] === 'group') {
    objects(filter['conditions']).forEach(conditionColumnToV8);
    return;
  }
  if (typeof filter['column'] === 'string') filter['column'] = { field: filter['column'] };
}

/** The `fields` keys that hold one axis item rather than a list (maps, sankey). */
const SINGLE_AXES = [
  'latitude',
  'longitude',
  'weight',
  'name',
  'value_for_maps',
  'source',
  'target',
  'value',
];

function v7ToV8(doc: Json): void {
  eachQuery(doc, (query) => {
    const fields = query['fields'];
    if (!isObject(fields)) return;
    for (const axis of ['x', 'y', 'z', 'breakdown']) objects(fields[axis]).forEach(axisItemToV8);
    for (const single of SINGLE_AXES) {
      const item = fields[single];
      if (isObject(item)) axisItemToV8(item);
    }
    if (isObject(fields['filter'])) conditionColumnToV8(fields['filter']);
  });
}

/**
 * A v`from` document (1–7) migrated to v8, as a new object; the input is not changed. The result
 * still has to pass the v8 schema (a v1 document missing a panel's `fields`, say, fails there).
 */
export function migrateToV8(document: Json, from: number): Json {
  const doc = structuredClone(document);
  if (from <= 1) v1ToV2(doc);
  if (from <= 2) v2ToV3(doc);
  if (from <= 7) {
    listFiltersToGroup(doc);
    v7ToV8(doc);
  }
  doc['version'] = 8;
  return doc;
}
