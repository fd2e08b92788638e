import { metricStreamName } from '@o2/metrics';
import type { MetricType, PromMetadata } from '@o2/metrics';
import { prometheus } from '@o2/proto';

const WIRE_TYPES: Record<prometheus.MetricMetadata_MetricType, MetricType> = {
  [prometheus.MetricMetadata_MetricType.UNKNOWN]: 'Unknown',
  [prometheus.MetricMetadata_MetricType.COUNTER]: 'Counter',
  [prometheus.MetricMetadata_MetricType.GAUGE]: 'Gauge',
  [prometheus.MetricMetadata_MetricType.HISTOGRAM]: 'Histogram',
  [prometheus.MetricMetadata_MetricType.GAUGEHISTOGRAM]: 'GaugeHistogram',
  [prometheus.MetricMetadata_MetricType.SUMMARY]: 'Summary',
  [prometheus.MetricMetadata_MetricType.INFO]: 'Info',
  [prometheus.MetricMetadata_MetricType.STATESET]: 'StateSet',
};

/** O2's metric type for a wire type; a number this proto does not know is `Unknown`. */
export function metricTypeOf(wire: prometheus.MetricMetadata_MetricType): MetricType {
  return WIRE_TYPES[wire] ?? 'Unknown';
}

/**
 * The streams a family's samples land in besides its own name: a classic histogram's series
 * are `<family>_bucket`, `_count`, `_sum` (and a native histogram is expanded into the same),
 * a summary's `_count` and `_sum` (its quantiles stay under the family name).
 */
export function derivedStreamSuffixes(type: MetricType): readonly string[] {
  switch (type) {
    case 'Histogram':
    case 'GaugeHistogram':
      return ['_bucket', '_count', '_sum'];
    case 'Summary':
      return ['_count', '_sum'];
    case 'Counter':
    case 'Gauge':
    case 'ExponentialHistogram':
    case 'Info':
    case 'StateSet':
    case 'Unknown':
      return [];
  }
}

/**
 * Sets `prom_metadata` for a family's own stream and its derived streams, all pointing at the
 * family (so `/metadata` and the series source can tell `x_bucket` belongs to histogram `x`).
 * A later entry for the same stream wins, as in O2, where each entry overwrites the setting.
 */
export function addFamilyMetadata(out: Map<string, PromMetadata>, metadata: PromMetadata): void {
  const family = metricStreamName(metadata.metric_family_name);
  if (family === '') return;
  out.set(family, metadata);
  for (const suffix of derivedStreamSuffixes(metadata.metric_type))
    out.set(metricStreamName(family + suffix), metadata);
}

/** The `metadata[]` entries of a request as `prom_metadata` per stream. */
export function familyMetadata(
  entries: readonly prometheus.MetricMetadata[],
): Map<string, PromMetadata> {
  const out = new Map<string, PromMetadata>();
  for (const entry of entries) {
    addFamilyMetadata(out, {
      metric_type: metricTypeOf(entry.type),
      metric_family_name: entry.metricFamilyName,
      help: entry.help,
      unit: entry.unit,
    });
  }
  return out;
}
