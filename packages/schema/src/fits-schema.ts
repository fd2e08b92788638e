import type { FieldType, Schema } from './field-type.js';
import type { FlatRecord, FlatValue } from './flat-record.js';
import { TIMESTAMP_COLUMN } from './flat-record.js';
import { schemaIndex } from './schema-index.js';

const TWO_63 = 2 ** 63;
const TWO_64 = 2 ** 64;
const I64_MIN = -(2n ** 63n);
const I64_MAX = 2n ** 63n - 1n;
const U64_MAX = 2n ** 64n - 1n;

/** Whether a value is already stored as-is in a column of `type` (no cast, no allocation). */
export function fitsType(value: FlatValue, type: FieldType): boolean {
  switch (type) {
    case 'Utf8':
      return typeof value === 'string';
    case 'Float64':
      return typeof value === 'number';
    case 'Boolean':
      return typeof value === 'boolean';
    case 'Int64':
      if (typeof value === 'number') {
        return Number.isInteger(value) && value >= -TWO_63 && value < TWO_63;
      }
      return typeof value === 'bigint' && value >= I64_MIN && value <= I64_MAX;
    case 'UInt64':
      if (typeof value === 'number') return Number.isInteger(value) && value >= 0 && value < TWO_64;
      return typeof value === 'bigint' && value >= 0n && value <= U64_MAX;
  }
}

/**
 * Whether every value of every record is in a `stored` column and already of its type. Then
 * `evolveSchema(stored, records, pinned)` changes nothing and `conformInPlace` casts nothing,
 * so a caller may skip both: one pass over the fields instead of two (inference, then
 * conform), the steady state of a stream whose schema settled. Why that holds: a value that
 * fits its column infers to that type or a narrower one (an integer in a Float64 or UInt64
 * column, a boolean nowhere else), and a narrower batch type never widens the stored one. What
 * the check does not answer exactly (a null value, `_timestamp` stored as anything but Int64, a
 * pinned column stored with another type) answers false: the caller takes the full path.
 */
export function fitsSchema(
  records: Iterable<FlatRecord>,
  stored: Schema,
  pinned?: ReadonlyMap<string, FieldType>,
): boolean {
  const index = schemaIndex(stored);
  if (index.get(TIMESTAMP_COLUMN) !== 'Int64') return false;
  if (pinned !== undefined)
    for (const [name, type] of pinned) {
      const current = index.get(name);
      if (current !== undefined && current !== type) return false;
    }
  for (const record of records) {
    for (const name in record) {
      const type = index.get(name);
      if (type === undefined || !fitsType(record[name] as FlatValue, type)) return false;
    }
  }
  return true;
}
