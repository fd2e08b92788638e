export type { FlatRecord, FlatValue, JsonObject } from './flat-record.js';
export { TIMESTAMP_COLUMN, isJsonObject } from './flat-record.js';
export { formatKey } from './format-key.js';
export { toJsonText } from './to-json-text.js';
export { DEFAULT_KEY_CACHE_LIMIT, KeyCache, sharedKeyCache } from './key-cache.js';
export { DEFAULT_FLATTEN_LEVEL, FLATTEN_NOT_OBJECT, flattenRecord } from './flatten-record.js';
export type { FlattenOptions } from './flatten-record.js';
export { TIMESTAMP_PARSE_ERROR, parseTimestamp } from './parse-timestamp.js';
export type { TimestampResult } from './parse-timestamp.js';
export {
  DEFAULT_ALLOWED_IN_FUTURE_HOURS,
  DEFAULT_ALLOWED_UPTO_HOURS,
  checkTimestampWindow,
} from './check-timestamp-window.js';
export type { TimestampWindowOptions } from './check-timestamp-window.js';
export {
  DEFAULT_COLS_PER_RECORD_LIMIT,
  normalizeFlatRecord,
  normalizeRecord,
} from './normalize-record.js';
export type { NormalizeOptions, NormalizeResult } from './normalize-record.js';
export { FIELD_TYPES, TYPE_RANK, compareFieldNames } from './field-type.js';
export type { FieldType, Schema, SchemaField } from './field-type.js';
export { inferType } from './infer-type.js';
export { mergeType } from './merge-type.js';
export { isWidening } from './is-widening.js';
export { inferBatchTypes } from './infer-batch-types.js';
export { schemaIndex } from './schema-index.js';
export { evolveSchema } from './evolve-schema.js';
export { fitsSchema } from './fits-schema.js';
export type { SchemaEvolution, WidenedField } from './evolve-schema.js';
export { castValue } from './cast-value.js';
export type { CastResult } from './cast-value.js';
export { conformInPlace, conformRecord } from './conform-record.js';
export type { ConformResult } from './conform-record.js';
