import type { FieldType, Schema, SchemaField } from './field-type.js';
import { compareFieldNames } from './field-type.js';
import type { FlatRecord } from './flat-record.js';
import { TIMESTAMP_COLUMN } from './flat-record.js';
import { inferBatchTypes } from './infer-batch-types.js';
import { isWidening } from './is-widening.js';
import { schemaIndex } from './schema-index.js';

export interface WidenedField {
  readonly name: string;
  readonly from: FieldType;
  readonly to: FieldType;
}

export interface SchemaEvolution {
  /** The schema to store: `stored` itself when nothing changed, else a new sorted array. */
  schema: Schema;
  changed: boolean;
  added: SchemaField[];
  widened: WidenedField[];
}

/**
 * O2's `get_merge_schema_changes`: fields of the batch missing from the stored schema are
 * added, a stored type that the batch widens (`isWidening`) takes the wider type, and a
 * narrower batch type leaves the stored type alone (`conformRecord` casts those values).
 * `_timestamp` is always present and always Int64. The result is sorted by name.
 *
 * `pinned` fixes the type of columns a stream type defines whatever the values look like
 * (a metric `value` is Float64 even when every sample is integral), as O2's schemas force them.
 */
export function evolveSchema(
  stored: Schema,
  batchRecords: Iterable<FlatRecord>,
  pinned?: ReadonlyMap<string, FieldType>,
): SchemaEvolution {
  const batch = inferBatchTypes(batchRecords);
  if (pinned !== undefined)
    for (const [name, type] of pinned) if (batch.has(name)) batch.set(name, type);
  batch.set(TIMESTAMP_COLUMN, 'Int64');
  const index = schemaIndex(stored);
  const added: SchemaField[] = [];
  const widened: WidenedField[] = [];
  for (const [name, type] of batch) {
    const current = index.get(name);
    if (current === undefined) {
      added.push({ name, type });
    } else if (
      name === TIMESTAMP_COLUMN || pinned?.has(name) === true
        ? current !== type
        : isWidening(current, type)
    ) {
      widened.push({ name, from: current, to: type });
    }
  }
  if (added.length === 0 && widened.length === 0) {
    return { schema: stored, changed: false, added, widened };
  }
  const retyped = new Map(widened.map((w) => [w.name, w.to]));
  const fields: SchemaField[] = stored.map((f) => {
    const to = retyped.get(f.name);
    return to === undefined ? f : { name: f.name, type: to };
  });
  for (const field of added) fields.push(field);
  fields.sort((a, b) => compareFieldNames(a.name, b.name));
  added.sort((a, b) => compareFieldNames(a.name, b.name));
  return { schema: fields, changed: true, added, widened };
}
