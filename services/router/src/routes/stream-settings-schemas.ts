import { z } from 'zod';
import { bodyObject, fields, optional } from '../http/parse-body.js';

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A partition key in its stored form, or the message saying why `value` is not one. */
export function readPartition(value: unknown, setting: string): Record<string, unknown> | string {
  if (typeof value === 'string' && value !== '')
    return { field: value, types: 'value', disabled: false };
  if (isObject(value) && typeof value['field'] === 'string' && value['field'] !== '') {
    const types = value['types'] ?? 'value';
    const validTypes =
      types === 'value' ||
      types === 'prefix' ||
      (isObject(types) && Number.isInteger(types['hash']) && Number(types['hash']) > 0);
    if (!validTypes) return `${setting}: types must be "value", "prefix" or {"hash": <buckets>}`;
    return { field: value['field'], types, disabled: value['disabled'] === true };
  }
  return `${setting}: each entry must be a field name or {"field": ...}`;
}

const partitionEntry = (setting: string) =>
  z.unknown().transform((value, ctx) => {
    const partition = readPartition(value, setting);
    if (typeof partition !== 'string') return partition;
    ctx.addIssue({ code: 'custom', message: partition });
    return z.NEVER;
  });

const stringEntry = (setting: string) => {
  const error = `${setting}: entries must be non-empty strings`;
  return z.string({ error }).min(1, { error });
};

/** A distinct-value field is given by name or as `{"name": ...}`; the handler stamps the time. */
const distinctEntry = (setting: string) =>
  z.preprocess((value) => (isObject(value) ? value['name'] : value), stringEntry(setting));

const retentionEntry = (setting: string) => {
  const error = `${setting}: entries must be {"start": <µs>, "end": <µs>}`;
  return z.object({ start: z.int({ error }), end: z.int({ error }) }, { error });
};

const patternEntry = (setting: string) =>
  z.looseObject({}, { error: `${setting}: entries must be objects` });

const crossLinkEntry = (setting: string) => {
  const error = `${setting}: entries must be objects with a name`;
  return z.looseObject({ name: z.string({ error }) }, { error });
};

/** O2's `{"add": [...], "remove": [...]}` change of a list setting; removals apply first. */
function listChange<T extends z.ZodType>(entry: T) {
  return optional(
    z.object(
      {
        remove: optional(z.array(z.unknown(), { error: 'must be a list' })),
        add: optional(z.array(entry, { error: 'must be a list' })),
      },
      { error: 'must be {"add": [...], "remove": [...]} (got a plain value)' },
    ),
  );
}

const count = (expected: string) =>
  optional(fields.integer(`must be ${expected}`).min(0, { error: `must be ${expected}` }));
const flag = optional(fields.boolean());

/** The list settings, in the order their changes are checked and applied. */
export const LIST_CHANGES = {
  full_text_search_keys: listChange(stringEntry('full_text_search_keys')),
  index_fields: listChange(stringEntry('index_fields')),
  bloom_filter_fields: listChange(stringEntry('bloom_filter_fields')),
  defined_schema_fields: listChange(stringEntry('defined_schema_fields')),
  partition_keys: listChange(partitionEntry('partition_keys')),
  distinct_value_fields: listChange(distinctEntry('distinct_value_fields')),
  extended_retention_days: listChange(retentionEntry('extended_retention_days')),
  pattern_associations: listChange(patternEntry('pattern_associations')),
  cross_links: listChange(crossLinkEntry('cross_links')),
};

export const SCALAR_SETTINGS = {
  data_retention: count('a whole number of days (0 = the global retention)'),
  flatten_level: count('a non-negative integer'),
  max_query_range: count('a whole number of hours'),
  store_original_data: flag,
  approx_partition: flag,
  index_original_data: flag,
  index_all_values: flag,
  enable_distinct_fields: flag,
  enable_log_patterns_extraction: flag,
  is_llm_stream: flag,
  storage_type: optional(
    z.enum(['normal', 'compliance'], { error: 'must be "normal" or "compliance"' }),
  ),
};

/**
 * O2's UpdateStreamSettings body: list settings as add/remove changes, scalars set directly,
 * unknown keys ignored as O2's deserializer does.
 */
export const settingsUpdateBody = bodyObject({ ...LIST_CHANGES, ...SCALAR_SETTINGS });

export type SettingsUpdate = z.output<typeof settingsUpdateBody>;
