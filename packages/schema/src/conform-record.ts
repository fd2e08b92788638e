import { castValue } from './cast-value.js';
import type { Schema } from './field-type.js';
import { fitsType } from './fits-schema.js';
import type { FlatRecord, FlatValue } from './flat-record.js';
import { setField } from './flat-record.js';
import { schemaIndex } from './schema-index.js';

export type ConformResult = { ok: true; record: FlatRecord } | { ok: false; error: string };

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
    if (fitsType(value, type)) continue;
    const cast = castValue(value, type, name);
    if (cast.ok) setField(record, name, cast.value);
    else error = error === undefined ? cast.error : `${error} ${cast.error}`;
  }
  return error;
}
