/**
 * The column types of a stream schema: the Arrow types O2 infers for records. `@o2/schema`
 * widens between them, the search engine binds views with them, and the scan RPC checks a
 * schema a leader sends against them.
 */
export type FieldType = 'Utf8' | 'Int64' | 'UInt64' | 'Float64' | 'Boolean';

/** Every field type (the order types widen in is `@o2/schema`'s `TYPE_RANK`). */
export const FIELD_TYPES: readonly FieldType[] = ['Boolean', 'Int64', 'UInt64', 'Float64', 'Utf8'];

export function isFieldType(value: unknown): value is FieldType {
  return typeof value === 'string' && (FIELD_TYPES as readonly string[]).includes(value);
}
