import type { FieldType } from './field-type.js';
import type { FlatValue } from './flat-record.js';
import { isDecimalText, parseIntegerText, toNumberIfSafe } from './number-text.js';

export type CastResult = { ok: true; value: FlatValue } | { ok: false; error: string };

const TWO_63 = 2 ** 63;
const TWO_64 = 2 ** 64;
const I64_MIN = -(2n ** 63n);
const I64_MAX = 2n ** 63n - 1n;
const U64_MAX = 2n ** 64n - 1n;

/**
 * A value → the stored column type (O2's `cast_to_type`): strings are parsed strictly
 * (`"12"` → 12, `"1.5"` → 1.5, `"true"`/`"false"` → boolean), booleans become 1/0, numbers
 * become booleans by `> 0`, and anything becomes a string. A number into an integer column is
 * truncated toward zero and must fit the column's range.
 *
 * Fails with "Failed to cast <name> to type <Type>"; `name` is the field (as in O2) and
 * defaults to the value itself.
 */
export function castValue(
  value: FlatValue,
  to: FieldType,
  name: string = String(value),
): CastResult {
  const cast = castOrUndefined(value, to);
  return cast === undefined
    ? { ok: false, error: `Failed to cast ${name} to type ${to}` }
    : { ok: true, value: cast };
}

function castOrUndefined(value: FlatValue, to: FieldType): FlatValue | undefined {
  switch (to) {
    case 'Utf8':
      return typeof value === 'string' ? value : String(value);
    case 'Int64':
      return toInteger(value, false);
    case 'UInt64':
      return toInteger(value, true);
    case 'Float64':
      return toFloat(value);
    case 'Boolean':
      return toBoolean(value);
  }
}

function toInteger(value: FlatValue, unsigned: boolean): number | bigint | undefined {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return undefined;
    const v = Math.trunc(value);
    const fits = unsigned ? v >= 0 && v < TWO_64 : v >= -TWO_63 && v < TWO_63;
    return fits ? v + 0 : undefined; // + 0 turns -0 into 0
  }
  if (typeof value === 'bigint') {
    const fits = unsigned ? value >= 0n && value <= U64_MAX : value >= I64_MIN && value <= I64_MAX;
    return fits ? toNumberIfSafe(value) : undefined;
  }
  if (typeof value === 'boolean') return value ? 1 : 0;
  return parseIntegerText(value, unsigned);
}

function toFloat(value: FlatValue): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'boolean') return value ? 1 : 0;
  // Rust would also read "inf" and "NaN"; neither survives a JSON round trip, so refuse.
  return isDecimalText(value) ? Number(value) : undefined;
}

function toBoolean(value: FlatValue): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number') return value > 0;
  if (typeof value === 'bigint') return value > 0n;
  return value === 'true' ? true : value === 'false' ? false : undefined;
}
