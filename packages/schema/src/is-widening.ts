import type { FieldType } from './field-type.js';
import { TYPE_RANK } from './field-type.js';

/**
 * Whether a stored `from` column may become `to` (O2's `is_widening_conversion`):
 * Boolean → any number or Utf8, Int64 → UInt64 / Float64 / Utf8, UInt64 → Float64 / Utf8,
 * Float64 → Utf8; never the other way, and a type is not a widening of itself.
 *
 * Two choices where O2's code and the contract differ: Boolean widens to the numeric types
 * (the contract's rule; O2's table only lists Utf8), and UInt64 → Float64 is widening, like the
 * in-batch merge, so a float never gets truncated into a UInt64 column.
 */
export function isWidening(from: FieldType, to: FieldType): boolean {
  return TYPE_RANK[to] > TYPE_RANK[from];
}
