import type { MetaStore, SchemaVersion } from '@o2/metastore';
import {
  METRIC_NAME_COLUMN,
  METRIC_TYPE_COLUMN,
  NATIVE_HISTOGRAM_COLUMN,
  NON_LABEL_COLUMNS,
} from '@o2/metrics';
import type { Matcher } from '@o2/promql';
import { CompiledMatcher } from '@o2/promql';
import type { MetricStreamShape } from './selector-sql.js';
import { RESERVED_ALIASES } from './selector-sql.js';

/** Where OTLP metrics keep a data point's exemplars, as a JSON array (O2-CONTRACT §8.2). */
export const EXEMPLARS_COLUMN = 'exemplars';

const TEXT_TYPES = new Set(['Utf8', 'LargeUtf8', 'Utf8View']);

/** Columns of a metric stream that are labels: text columns that are not part of the sample. */
export function labelColumns(fields: SchemaVersion['fields']): string[] {
  return fields
    .filter(
      (f) =>
        TEXT_TYPES.has(f.type) &&
        !NON_LABEL_COLUMNS.has(f.name) &&
        f.name !== METRIC_TYPE_COLUMN &&
        f.name !== NATIVE_HISTOGRAM_COLUMN &&
        !RESERVED_ALIASES.has(f.name),
    )
    .map((f) => f.name)
    .sort();
}

/**
 * The metric streams of an org a selector reads. Each metric name is its own stream whose
 * `__name__` column equals the stream name (O2-CONTRACT §8.1), so `__name__` matchers pick
 * streams and never reach SQL: an equality matcher names one stream, any other kind (or none)
 * is tested against every metric stream of the org.
 */
export async function metricStreamsFor(
  metaStore: MetaStore,
  org: string,
  matchers: readonly Matcher[],
): Promise<MetricStreamShape[]> {
  const nameMatchers = matchers
    .filter((m) => m.name === METRIC_NAME_COLUMN)
    .map((m) => new CompiledMatcher(m));
  const exact = nameMatchers.find((m) => m.type === '=');
  const names =
    exact !== undefined
      ? [exact.value]
      : (await metaStore.streams.list(org, 'metrics')).map((s) => s.name);
  const wanted = names.filter((name) => nameMatchers.every((m) => m.matches(name)));
  const shapes = await Promise.all(wanted.map((name) => streamShape(metaStore, org, name)));
  return shapes.filter((s): s is MetricStreamShape => s !== undefined);
}

export async function streamShape(
  metaStore: MetaStore,
  org: string,
  stream: string,
): Promise<MetricStreamShape | undefined> {
  const schema = await metaStore.schemas.latest({ org, type: 'metrics', name: stream });
  if (schema === undefined) return undefined;
  const labels = labelColumns(schema.fields);
  if (!labels.includes(METRIC_NAME_COLUMN)) return undefined;
  return {
    stream,
    labels,
    histograms: schema.fields.some((f) => f.name === NATIVE_HISTOGRAM_COLUMN),
    exemplars: schema.fields.some((f) => f.name === EXEMPLARS_COLUMN),
  };
}

/** Matchers that still need SQL once the stream is chosen (the name is the stream's own). */
export function labelMatchers(matchers: readonly Matcher[]): Matcher[] {
  return matchers.filter((m) => m.name !== METRIC_NAME_COLUMN);
}
