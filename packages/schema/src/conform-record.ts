import { castValue } from './cast-value.js';
import type { FieldType, Schema } from './field-type.js';
import type { FlatRecord, FlatValue } from './flat-record.js';
import { setField } from './flat-record.js';
import { schemaIndex } from './schema-index.js';

export type ConformResult = { ok: true; record: FlatRecord } | { ok: false; error: string };

const TWO_63 = 2 ** 63;
const TWO_64 = 2 ** 64;
const I64_MIN = -(2n ** 63n);
const I64_MAX = 2n ** 63n - 1n;
const U64_MAX = 2n ** 64n - 1n;

/**
 * Casts every value of `record` whose type differs from its stored column type, **in place**
 * (records come fresh from `normalizeRecord`; copying them would double the garbage). Fields
 * the schema does not know are left alone: evolve the schema with the batch first.
 * Fails with every "Failed to cast <field> to type <Type>" message, space-separated.
 */
export function conformRecord(record: FlatRecord, schema: Schema): ConformResult {
  const error = conformInPlace(record, schema);
  return error === undefined ? { ok: true, record } : { ok: false, error };
}

/** `conformRecord` without the result object (one per row saved on the ingest path): the error or undefined. */
export function conformInPlace(record: FlatRecord, schema: Schema): string | undefined {
  const index = schemaIndex(schema);
  let error: string | undefined;
  for (const name in record) {
    const type = index.get(name);
    if (type === undefined) continue;
    const value = record[name] as FlatValue;
    if (fits(value, type)) continue;
    const cast = castValue(value, type, name);
    if (cast.ok) setField(record, name, cast.value);
    else error = error === undefined ? cast.error : `${error} ${cast.error}`;
  }
  return error;
}

/** Whether a value is already stored as-is in a column of `type` (no cast, no allocation). */
function fits(value: FlatValue, type: FieldType): boolean {
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
