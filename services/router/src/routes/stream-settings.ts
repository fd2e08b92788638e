import { AppError } from '@o2/errors';
import { parseBody } from '../http/parse-body.js';
import {
  LIST_CHANGES,
  SCALAR_SETTINGS,
  isObject,
  readPartition,
  settingsUpdateBody,
} from './stream-settings-schemas.js';

/** O2's StreamSettings as stored and shown (partition_keys as the `L0`, `L1` … map). */
export type StreamSettings = Record<string, unknown>;

/** Every non-optional StreamSettings key with O2's default, so a new stream shows them all. */
const DEFAULTS: Readonly<StreamSettings> = {
  partition_keys: {},
  full_text_search_keys: [],
  index_fields: [],
  bloom_filter_fields: [],
  distinct_value_fields: [],
  data_retention: 0,
  max_query_range: 0,
  store_original_data: false,
  approx_partition: false,
  index_updated_at: 0,
  extended_retention_days: [],
  index_original_data: false,
  index_all_values: false,
  enable_distinct_fields: true,
  enable_log_patterns_extraction: false,
  is_llm_stream: false,
  storage_type: 'normal',
};

function shapeError(message: string): AppError {
  return new AppError('UNPROCESSABLE', message);
}

/** A stored partition key in its stored form; plain strings mean a `value` partition. */
function toPartition(value: unknown): Record<string, unknown> {
  const partition = readPartition(value, 'partition_keys');
  if (typeof partition === 'string') throw shapeError(partition);
  return partition;
}

/** Partition keys in order, from the `L<i>` map (or an older plain list). */
function partitionList(value: unknown): Array<Record<string, unknown>> {
  if (Array.isArray(value)) return value.map((v) => toPartition(v));
  if (!isObject(value)) return [];
  return Object.keys(value)
    .filter((k) => /^L\d+$/.test(k))
    .sort((a, b) => Number(a.slice(1)) - Number(b.slice(1)))
    .map((k) => toPartition(value[k]));
}

function partitionMap(list: ReadonlyArray<Record<string, unknown>>): Record<string, unknown> {
  return Object.fromEntries(list.map((p, i) => [`L${i}`, p]));
}

/** The stored settings with every default filled in, as the streams API shows them. */
export function showSettings(stored: StreamSettings | undefined): StreamSettings {
  const settings = { ...DEFAULTS, ...stored };
  settings['partition_keys'] = partitionMap(partitionList(settings['partition_keys']));
  return settings;
}

/** A setting value as a dedupe key part. */
function text(value: unknown): string {
  if (typeof value === 'string') return value;
  return value === undefined ? '' : JSON.stringify(value);
}

const fieldOf =
  (field: string) =>
  (value: unknown): string =>
    isObject(value) ? text(value[field]) : text(value);

type ListName = keyof typeof LIST_CHANGES;

/** The identity of a list entry, for dedupe on add and matching on remove. */
const ENTRY_KEYS: Readonly<Record<ListName, (value: unknown) => string>> = {
  full_text_search_keys: text,
  index_fields: text,
  bloom_filter_fields: text,
  defined_schema_fields: text,
  partition_keys: fieldOf('field'),
  distinct_value_fields: fieldOf('name'),
  extended_retention_days: (v) => (isObject(v) ? `${text(v['start'])}-${text(v['end'])}` : text(v)),
  pattern_associations: (v) =>
    isObject(v) ? `${text(v['field'])}/${text(v['pattern_id'])}` : text(v),
  cross_links: fieldOf('name'),
};

function applyList(
  current: unknown,
  change: { remove?: unknown[] | undefined; add?: unknown[] | undefined },
  key: (value: unknown) => string,
): unknown[] {
  const removed = new Set((change.remove ?? []).map(key));
  const list = (Array.isArray(current) ? current : []).filter((v) => !removed.has(key(v)));
  const present = new Set(list.map(key));
  for (const entry of change.add ?? []) {
    if (present.has(key(entry))) continue;
    present.add(key(entry));
    list.push(entry);
  }
  return list;
}

/**
 * Applies O2's UpdateStreamSettings (shape checked by `settingsUpdateBody`, 422 when wrong):
 * removals first, adds deduplicated against what remains, scalars set directly. Returns the
 * new stored settings.
 */
export function applySettingsUpdate(
  stored: StreamSettings | undefined,
  body: Record<string, unknown>,
  nowUs: number,
): StreamSettings {
  const update = parseBody(settingsUpdateBody, body, 'UNPROCESSABLE');
  const next = showSettings(stored);
  let indexesChanged = false;
  for (const setting of Object.keys(LIST_CHANGES) as ListName[]) {
    const change = update[setting];
    if (change === undefined) continue;
    const key = ENTRY_KEYS[setting];
    if (setting === 'partition_keys') {
      next[setting] = partitionMap(
        applyList(partitionList(next[setting]), change, key) as Array<Record<string, unknown>>,
      );
      continue;
    }
    const added =
      setting === 'distinct_value_fields'
        ? { ...change, add: change.add?.map((name) => ({ name, added_ts: nowUs })) }
        : change;
    const before = JSON.stringify(next[setting] ?? []);
    next[setting] = applyList(next[setting], added, key);
    if (
      (setting === 'index_fields' || setting === 'full_text_search_keys') &&
      JSON.stringify(next[setting]) !== before
    )
      indexesChanged = true;
  }
  for (const setting of Object.keys(SCALAR_SETTINGS) as Array<keyof typeof SCALAR_SETTINGS>) {
    const value = update[setting];
    if (value !== undefined) next[setting] = value;
  }
  // Files written before this moment carry no index for the new fields; readers use the mark.
  if (indexesChanged) next['index_updated_at'] = nowUs;
  return next;
}
