import type { FieldType } from './field-type.js';

const TWO_63 = 2 ** 63;
const TWO_64 = 2 ** 64;
const I64_MIN_BIG = -(2n ** 63n);
const I64_MAX_BIG = 2n ** 63n - 1n;
const U64_MAX_BIG = 2n ** 64n - 1n;

/**
 * O2's per-value inference: string → Utf8, boolean → Boolean, integer → Int64, integer above
 * i64 → UInt64, other numbers → Float64, null/undefined → undefined (skipped).
 *
 * A JS number cannot say whether the JSON text was `1` or `1.0`, so integral doubles count as
 * integers; integral doubles of 2^64 and above (`1e20`, `1.7e308`) are Float64. A bigint above
 * u64 is Utf8, O2's answer for a number that fits no numeric type. Objects and arrays (absent
 * after flattening) are Utf8, since they would be stored as JSON text.
 */
export function inferType(value: unknown): FieldType | undefined {
  switch (typeof value) {
    case 'string':
      return 'Utf8';
    case 'boolean':
      return 'Boolean';
    case 'number':
      if (!Number.isInteger(value)) return 'Float64';
      if (value >= -TWO_63 && value < TWO_63) return 'Int64';
      return value > 0 && value < TWO_64 ? 'UInt64' : 'Float64';
    case 'bigint':
      if (value >= I64_MIN_BIG && value <= I64_MAX_BIG) return 'Int64';
      return value > 0n && value <= U64_MAX_BIG ? 'UInt64' : 'Utf8';
    case 'object':
      return value === null ? undefined : 'Utf8';
    case 'undefined':
    case 'symbol':
    case 'function':
      return undefined;
  }
}
