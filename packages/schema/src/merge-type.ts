import type { FieldType } from './field-type.js';
import { TYPE_RANK } from './field-type.js';

/**
 * Two types seen for one field within a batch → the field's type (O2's `convert_data_type`):
 * Utf8 wins over everything, Float64 over the integers and Boolean, UInt64 over Int64 and
 * Boolean, and Boolean gives way to anything. Commutative.
 */
export function mergeType(a: FieldType, b: FieldType): FieldType {
  return TYPE_RANK[b] > TYPE_RANK[a] ? b : a;
}
