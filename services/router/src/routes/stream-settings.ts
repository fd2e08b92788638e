import { AppError } from '@o2/errors';

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

type Item = unknown;

function shapeError(message: string): AppError {
  return new AppError('UNPROCESSABLE', message);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A partition key in its stored form; plain strings mean a `value` partition. */
function toPartition(value: unknown, setting: string): Record<string, unknown> {
  if (typeof value === 'string' && value !== '')
    return { field: value, types: 'value', disabled: false };
  if (isObject(value) && typeof value['field'] === 'string' && value['field'] !== '') {
    const types = value['types'] ?? 'value';
    const validTypes =
      types === 'value' ||
      types === 'prefix' ||
      (isObject(types) && Number.isInteger(types['hash']) && Number(types['hash']) > 0);
    if (!validTypes)
      throw shapeError(`${setting}: types must be "value", "prefix" or {"hash": <buckets>}`);
    return { field: value['field'], types, disabled: value['disabled'] === true };
  }
  throw shapeError(`${setting}: each entry must be a field name or {"field": ...}`);
}

/** Partition keys in order, from the `L<i>` map (or an older plain list). */
function partitionList(value: unknown): Array<Record<string, unknown>> {
  if (Array.isArray(value)) return value.map((v) => toPartition(v, 'partition_keys'));
  if (!isObject(value)) return [];
  return Object.keys(value)
    .filter((k) => /^L\d+$/.test(k))
    .sort((a, b) => Number(a.slice(1)) - Number(b.slice(1)))
    .map((k) => toPartition(value[k], 'partition_keys'));
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

interface ListSetting {
  /** How an added entry is stored. */
  normalize(value: unknown, setting: string, nowUs: number): Item;
  /** The identity used for dedupe on add and matching on remove (a string entry is its key). */
  key(value: unknown): string;
}

function stringEntry(value: unknown, setting: string): string {
  if (typeof value !== 'string' || value === '')
    throw shapeError(`${setting}: entries must be non-empty strings`);
  return value;
}

const byString: ListSetting = {
  normalize: stringEntry,
  key: text,
};

/** A setting value as a dedupe key part. */
function text(value: unknown): string {
  if (typeof value === 'string') return value;
  return value === undefined ? '' : JSON.stringify(value);
}

const fieldOf =
  (field: string) =>
  (value: unknown): string =>
    isObject(value) ? text(value[field]) : text(value);

const LIST_SETTINGS: Readonly<Record<string, ListSetting>> = {
  full_text_search_keys: byString,
  index_fields: byString,
  bloom_filter_fields: byString,
  defined_schema_fields: byString,
  partition_keys: { normalize: (v, s) => toPartition(v, s), key: fieldOf('field') },
  distinct_value_fields: {
    normalize: (v, s, nowUs) => {
      const name = isObject(v) ? v['name'] : v;
      return { name: stringEntry(name, s), added_ts: nowUs };
    },
    key: fieldOf('name'),
  },
  extended_retention_days: {
    normalize: (v, s) => {
      if (!isObject(v) || !Number.isInteger(v['start']) || !Number.isInteger(v['end']))
        throw shapeError(`${s}: entries must be {"start": <µs>, "end": <µs>}`);
      return { start: v['start'], end: v['end'] };
    },
    key: (v) => (isObject(v) ? `${text(v['start'])}-${text(v['end'])}` : text(v)),
  },
  pattern_associations: {
    normalize: (v, s) => {
      if (!isObject(v)) throw shapeError(`${s}: entries must be objects`);
      return v;
    },
    key: (v) => (isObject(v) ? `${text(v['field'])}/${text(v['pattern_id'])}` : text(v)),
  },
  cross_links: {
    normalize: (v, s) => {
      if (!isObject(v) || typeof v['name'] !== 'string')
        throw shapeError(`${s}: entries must be objects with a name`);
      return v;
    },
    key: fieldOf('name'),
  },
};

type ScalarCheck = (value: unknown) => boolean;
const isCount: ScalarCheck = (v) => Number.isInteger(v) && Number(v) >= 0;
const isBoolean: ScalarCheck = (v) => typeof v === 'boolean';

const SCALAR_SETTINGS: Readonly<Record<string, [ScalarCheck, string]>> = {
  data_retention: [isCount, 'a whole number of days (0 = the global retention)'],
  flatten_level: [isCount, 'a non-negative integer'],
  max_query_range: [isCount, 'a whole number of hours'],
  store_original_data: [isBoolean, 'true or false'],
  approx_partition: [isBoolean, 'true or false'],
  index_original_data: [isBoolean, 'true or false'],
  index_all_values: [isBoolean, 'true or false'],
  enable_distinct_fields: [isBoolean, 'true or false'],
  enable_log_patterns_extraction: [isBoolean, 'true or false'],
  is_llm_stream: [isBoolean, 'true or false'],
  storage_type: [(v) => v === 'normal' || v === 'compliance', '"normal" or "compliance"'],
};

function wrapperPart(wrapper: Record<string, unknown>, part: string, setting: string): unknown[] {
  const value = wrapper[part];
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw shapeError(`${setting}.${part} must be a list`);
  return value;
}

function applyList(
  current: unknown,
  update: unknown,
  setting: string,
  rule: ListSetting,
  nowUs: number,
): unknown[] {
  if (!isObject(update))
    throw shapeError(`${setting} must be {"add": [...], "remove": [...]} (got a plain value)`);
  const removed = new Set(wrapperPart(update, 'remove', setting).map((v) => rule.key(v)));
  const list = (Array.isArray(current) ? current : []).filter((v) => !removed.has(rule.key(v)));
  const present = new Set(list.map((v) => rule.key(v)));
  for (const raw of wrapperPart(update, 'add', setting)) {
    const entry = rule.normalize(raw, setting, nowUs);
    const key = rule.key(entry);
    if (present.has(key)) continue;
    present.add(key);
    list.push(entry);
  }
  return list;
}

/**
 * Applies O2's UpdateStreamSettings: each list-valued setting is an `{"add", "remove"}` wrapper
 * (removals first, adds deduplicated against what remains), scalars are set directly, unknown
 * keys are ignored as O2's deserializer does. Returns the new stored settings.
 */
export function applySettingsUpdate(
  stored: StreamSettings | undefined,
  update: Record<string, unknown>,
  nowUs: number,
): StreamSettings {
  const next = showSettings(stored);
  let indexesChanged = false;
  for (const [setting, rule] of Object.entries(LIST_SETTINGS)) {
    const change = update[setting];
    if (change === undefined || change === null) continue;
    if (setting === 'partition_keys') {
      next[setting] = partitionMap(
        applyList(partitionList(next[setting]), change, setting, rule, nowUs) as Array<
          Record<string, unknown>
        >,
      );
      continue;
    }
    const before = JSON.stringify(next[setting] ?? []);
    next[setting] = applyList(next[setting], change, setting, rule, nowUs);
    if (
      (setting === 'index_fields' || setting === 'full_text_search_keys') &&
      JSON.stringify(next[setting]) !== before
    )
      indexesChanged = true;
  }
  for (const [setting, [check, expected]] of Object.entries(SCALAR_SETTINGS)) {
    const value = update[setting];
    if (value === undefined || value === null) continue;
    if (!check(value)) throw shapeError(`${setting} must be ${expected}`);
    next[setting] = value;
  }
  // Files written before this moment carry no index for the new fields; readers use the mark.
  if (indexesChanged) next['index_updated_at'] = nowUs;
  return next;
}
