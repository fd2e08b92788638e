import { METRIC_NAME_COLUMN } from '@o2/metrics';
import type { WireLabel } from './write-request-reader.js';

/** A series' labels by raw name, and its metric name. */
export interface SeriesLabels {
  /** The `__name__` value; empty when the series has none. */
  name: string;
  /** Every label with a value, `__name__` included, names as sent. */
  labels: Record<string, string>;
}

/**
 * Labels as sent. An empty value means "no such label" in Prometheus, so it is left out (and
 * never becomes an empty column); a repeated name keeps the last value.
 */
export function seriesLabels(wire: readonly WireLabel[]): SeriesLabels {
  const labels: Record<string, string> = {};
  for (const label of wire) if (label.value !== '') labels[label.name] = label.value;
  return { name: labels[METRIC_NAME_COLUMN] ?? '', labels };
}
