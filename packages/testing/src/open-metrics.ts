/** One series to backfill: its labels (with `__name__`) and `[unix ms, value]` samples. */
export interface BackfillSeries {
  labels: Record<string, string>;
  samples: [number, number][];
}

function escapeLabelValue(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

function formatValue(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  return String(value);
}

/**
 * The OpenMetrics text `promtool tsdb create-blocks-from openmetrics` reads (what
 * `startPrometheus({ backfill })` loads), so a test can give Prometheus and O2TS exactly the
 * same samples at fixed past timestamps. Series of one metric name are written together, as the
 * format requires; samples must be in time order within a series. Metrics are left untyped.
 */
export function openMetricsText(series: BackfillSeries[]): string {
  const byName = new Map<string, BackfillSeries[]>();
  for (const one of series) {
    const name = one.labels['__name__'];
    if (name === undefined || !/^[a-zA-Z_:][a-zA-Z0-9_:]*$/.test(name))
      throw new Error(`backfill series needs a valid __name__: ${JSON.stringify(one.labels)}`);
    byName.set(name, [...(byName.get(name) ?? []), one]);
  }
  const lines: string[] = [];
  for (const [name, family] of byName) {
    for (const { labels, samples } of family) {
      const pairs = Object.entries(labels)
        .filter(([label]) => label !== '__name__')
        .map(([label, value]) => `${label}="${escapeLabelValue(value)}"`);
      const selector = pairs.length === 0 ? name : `${name}{${pairs.join(',')}}`;
      for (const [ms, value] of samples) {
        lines.push(`${selector} ${formatValue(value)} ${ms / 1000}`);
      }
    }
  }
  lines.push('# EOF', '');
  return lines.join('\n');
}
