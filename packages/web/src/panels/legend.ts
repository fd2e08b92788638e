/**
 * A PromQL series' legend (UI-SPEC §6): the query's `promql_legend` template with single-brace
 * `{label}` placeholders (Grafana's `{{label}}` too); with no template, the label set as JSON,
 * as O2 shows it.
 */
export function promqlLegend(template: string, labels: Readonly<Record<string, string>>): string {
  if (template.trim() === '') return JSON.stringify(labels);
  return template.replace(
    /\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}|\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}/g,
    (_whole, grafana?: string, single?: string) => labels[grafana ?? single ?? ''] ?? '',
  );
}
