import type { FieldType, Schema } from './field-type.js';

const indexes = new WeakMap<Schema, ReadonlyMap<string, FieldType>>();

/**
 * Name → type for a schema, built once per schema object. Schemas are immutable values that
 * live for many batches, so the lookup map is memoised on the array itself.
 */
export function schemaIndex(schema: Schema): ReadonlyMap<string, FieldType> {
  let index = indexes.get(schema);
  if (index === undefined) {
    const map = new Map<string, FieldType>();
    for (const field of schema) map.set(field.name, field.type);
    index = map;
    indexes.set(schema, index);
  }
  return index;
}
