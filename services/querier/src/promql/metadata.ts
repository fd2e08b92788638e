import type { PromMetadataQuery } from '@o2/domain';
import type { MetaStore, StreamRecord } from '@o2/metastore';
import { PROM_METADATA_KEY } from '@o2/metrics';
import type { PromMetadata } from '@o2/metrics';

/** Prometheus's metadata `type` for each O2 metric type. */
const PROM_TYPE: Record<string, string> = {
  Counter: 'counter',
  Gauge: 'gauge',
  Histogram: 'histogram',
  GaugeHistogram: 'gaugehistogram',
  ExponentialHistogram: 'histogram',
  Summary: 'summary',
  Info: 'info',
  StateSet: 'stateset',
  Unknown: 'unknown',
};

export interface MetadataEntry {
  type: string;
  help: string;
  unit: string;
}

/** `holder.metadata[PROM_METADATA_KEY]` when `holder` has a metadata map. */
function metadataEntry(holder: unknown): unknown {
  const metadata = (holder as { metadata?: unknown } | undefined)?.metadata;
  return typeof metadata === 'object' && metadata !== null
    ? (metadata as Record<string, unknown>)[PROM_METADATA_KEY]
    : undefined;
}

/**
 * A stream's `prom_metadata`, wherever the ingest side keeps it: the stream row's metadata map,
 * the schema's (as O2 does) or the stream settings, as JSON text or an object. Read
 * defensively: anything malformed counts as absent, never as an error of the whole answer.
 */
export function promMetadataOf(
  stream: StreamRecord | undefined,
  schema: unknown,
): Partial<PromMetadata> | undefined {
  const candidates = [
    metadataEntry(stream),
    metadataEntry(schema),
    stream?.settings[PROM_METADATA_KEY],
  ];
  for (const raw of candidates) {
    let value: unknown = raw;
    if (typeof raw === 'string') {
      try {
        value = JSON.parse(raw);
      } catch {
        continue;
      }
    }
    if (typeof value === 'object' && value !== null && 'metric_type' in value)
      return value as Partial<PromMetadata>;
  }
  return undefined;
}

/**
 * `/api/v1/metadata`: per metric family, the type, help and unit its streams carry. A histogram
 * stored as `x_bucket`, `x_sum` and `x_count` streams is one family `x`, listed once.
 */
export async function metricMetadata(
  metaStore: MetaStore,
  org: string,
  query: PromMetadataQuery,
): Promise<Record<string, MetadataEntry[]>> {
  const families = new Map<string, MetadataEntry[]>();
  for (const stream of await metaStore.streams.list(org, 'metrics')) {
    const schema = await metaStore.schemas.latest({ org, type: 'metrics', name: stream.name });
    const meta = promMetadataOf(stream, schema);
    if (meta === undefined) continue;
    const family =
      typeof meta.metric_family_name === 'string' && meta.metric_family_name !== ''
        ? meta.metric_family_name
        : stream.name;
    if (query.metric !== undefined && query.metric !== '' && family !== query.metric) continue;
    const entry: MetadataEntry = {
      type: PROM_TYPE[String(meta.metric_type)] ?? 'unknown',
      help: typeof meta.help === 'string' ? meta.help : '',
      unit: typeof meta.unit === 'string' ? meta.unit : '',
    };
    const entries = families.get(family) ?? [];
    if (
      !entries.some((e) => e.type === entry.type && e.help === entry.help && e.unit === entry.unit)
    )
      entries.push(entry);
    families.set(family, entries);
  }
  const out: Record<string, MetadataEntry[]> = {};
  const perMetric = query.limitPerMetric ?? 0;
  for (const family of [...families.keys()].sort()) {
    if (query.limit !== undefined && query.limit > 0 && Object.keys(out).length >= query.limit)
      break;
    const entries = families.get(family)!;
    out[family] = perMetric > 0 ? entries.slice(0, perMetric) : entries;
  }
  return out;
}
