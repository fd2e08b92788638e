import { metricRecord } from '@o2/metrics';
import type { MetricType, PromMetadata } from '@o2/metrics';
import type { Exemplar } from '@o2/proto';
import { toJsonText } from '@o2/schema';
import type { AttrValue } from './any-value.js';
import { attributes, hexId, labelText, nanosToMicros } from './any-value.js';
import type { OtlpDocument } from './otlp-document.js';

/** One data point's shared parts: its labels, time and the non-label columns O2 adds. */
export interface PointContext {
  labels: Record<string, string>;
  timestampUs: number;
  extra: Record<string, string | number | boolean>;
}

/** Collects the rows of a request and the `prom_metadata` of each stream they go to. */
export class MetricSink {
  readonly documents: OtlpDocument[] = [];
  readonly metadata = new Map<string, PromMetadata>();

  constructor(
    private readonly family: string,
    private readonly type: MetricType,
    private readonly help: string,
    private readonly unit: string,
  ) {}

  /** One sample of `name` (the family name or a derived `_count`/`_sum`/`_bucket` name). */
  add(name: string, point: PointContext, value: number, more: Record<string, string> = {}): void {
    const labels = Object.keys(more).length === 0 ? point.labels : { ...point.labels, ...more };
    const record = metricRecord({
      name,
      labels,
      value,
      timestampUs: point.timestampUs,
      extra: point.extra,
    });
    if (record === undefined) return; // NaN: O2 drops the sample
    const stream = record['__name__'] as string;
    this.documents.push({ record, stream });
    if (!this.metadata.has(stream))
      this.metadata.set(stream, {
        metric_type: this.type,
        metric_family_name: this.family,
        help: this.help,
        unit: this.unit,
      });
  }
}

/** Attribute values as label strings (labels are text; null attributes are left out). */
export function labelsOf(attrs: Record<string, AttrValue>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(attrs)) {
    const text = labelText(value);
    if (text !== undefined) out[key] = text;
  }
  return out;
}

function exemplarValue(exemplar: Exemplar): number {
  const v = exemplar.value;
  if (v.case === 'asDouble') return v.value;
  if (v.case === 'asInt') return Number(v.value);
  return 0;
}

/** O2's `exemplars` column: a JSON array of `{attrs…, value, _timestamp, trace_id?, span_id?}`. */
export function exemplarsText(exemplars: readonly Exemplar[]): string {
  return toJsonText(
    exemplars.map((exemplar) => {
      const out: Record<string, unknown> = {
        ...attributes(exemplar.filteredAttributes),
        value: exemplarValue(exemplar),
        _timestamp: nanosToMicros(exemplar.timeUnixNano),
      };
      if (exemplar.traceId.byteLength > 0) out['trace_id'] = hexId(exemplar.traceId);
      if (exemplar.spanId.byteLength > 0) out['span_id'] = hexId(exemplar.spanId);
      return out;
    }),
  );
}

/** The context of a data point: base labels + its attributes, time, start_time, flag, exemplars. */
export function pointContext(
  base: Record<string, string>,
  point: {
    attributes: Parameters<typeof attributes>[0];
    timeUnixNano: bigint;
    startTimeUnixNano: bigint;
    flags: number;
    exemplars?: readonly Exemplar[];
  },
  nowMicros: number,
  more: Record<string, string | number | boolean> = {},
): PointContext {
  const extra: Record<string, string | number | boolean> = {
    start_time: point.startTimeUnixNano.toString(),
    flag: (point.flags & 1) === 1 ? 'FLAG_NO_RECORDED_VALUE_MASK' : 'DO_NOT_USE',
    ...more,
  };
  if (point.exemplars !== undefined && point.exemplars.length > 0)
    extra['exemplars'] = exemplarsText(point.exemplars);
  return {
    labels: { ...base, ...labelsOf(attributes(point.attributes)) },
    timestampUs: point.timeUnixNano === 0n ? nowMicros : nanosToMicros(point.timeUnixNano),
    extra,
  };
}
