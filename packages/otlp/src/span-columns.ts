import { formatKey } from '@o2/schema';
import type { FieldType } from '@o2/schema';
import type { AttrValue } from './any-value.js';
import { labelText } from './any-value.js';

/** Span columns whose type O2 forces: nanosecond times are UInt64 (pinned on schema evolution). */
export const SPAN_COLUMN_TYPES: ReadonlyMap<string, FieldType> = new Map([
  ['start_time', 'UInt64'],
  ['end_time', 'UInt64'],
]);

/** The span record's own columns (O2's reserved span fields plus what §9.1 adds). */
export const RESERVED_SPAN_COLUMNS: ReadonlySet<string> = new Set([
  'trace_id',
  'span_id',
  'flags',
  'span_status',
  'span_kind',
  'operation_name',
  'start_time',
  'end_time',
  'duration',
  'service_name',
  'infer_service_name',
  'infer_service_type',
  'infer_service_system',
  'events',
  'links',
  '_timestamp',
  'status_code',
  'status_message',
  'reference_parent_span_id',
  'reference_parent_trace_id',
  'reference_ref_type',
  '_o2_ingest_ts',
]);

/**
 * Resource attributes as span columns: each `service_<key>` (so `service.name` is
 * `service_name`); a key whose column would be a reserved one becomes `service_attr_<key>`.
 */
export function spanResourceColumns(resource: Record<string, AttrValue>): {
  columns: Record<string, AttrValue>;
  serviceName: string | undefined;
} {
  const columns: Record<string, AttrValue> = {};
  let serviceName: string | undefined;
  for (const [key, value] of Object.entries(resource)) {
    if (key === 'service.name') {
      serviceName = labelText(value);
      continue;
    }
    const column = formatKey(`service_${key}`);
    columns[RESERVED_SPAN_COLUMNS.has(column) ? `service_attr_${key}` : `service_${key}`] = value;
  }
  return { columns, serviceName };
}

/** The flattened names of a resource's columns, which span attributes must not take. */
export function takenColumns(resourceColumns: Record<string, AttrValue>): ReadonlySet<string> {
  return new Set(Object.keys(resourceColumns).map((key) => formatKey(key)));
}

/**
 * Span attributes under their own (flattened) names, written into `row`; one that collides
 * with a reserved column or a resource column (`taken`) is prefixed `attr_`.
 */
export function spanAttributeColumns(
  attrs: Record<string, AttrValue>,
  taken: ReadonlySet<string>,
  row: Record<string, unknown>,
): void {
  for (const [key, value] of Object.entries(attrs)) {
    const column = formatKey(key);
    row[RESERVED_SPAN_COLUMNS.has(column) || taken.has(column) ? `attr_${key}` : key] = value;
  }
}
