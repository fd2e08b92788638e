/**
 * A leaf value of a flattened record. `bigint` only appears when the decoder upstream produced
 * one (a bigint-aware JSON parser keeps integers above 2^53 exact); `JSON.parse` yields numbers,
 * and integers beyond 2^53 have already lost precision by then.
 */
export type FlatValue = string | number | boolean | bigint;

/** A flattened record: formatted keys to leaf values, nulls already dropped. */
export type FlatRecord = Record<string, FlatValue>;

/** The JSON-shaped input the flattener walks (the output of a JSON decoder). */
export type JsonObject = { [key: string]: unknown };

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Every record carries this column: Int64 microseconds since the epoch. */
export const TIMESTAMP_COLUMN = '_timestamp';

/** `record[key] = value`, except that "__proto__" becomes a column instead of a prototype. */
export function setField(record: FlatRecord, key: string, value: FlatValue): void {
  if (key === '__proto__') {
    Object.defineProperty(record, key, {
      value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  } else {
    record[key] = value;
  }
}
