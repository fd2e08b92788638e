import type { FieldType } from '@o2/domain';

// The vocabulary lives in @o2/domain; re-exported because this package's users import it here.
export { FIELD_TYPES } from '@o2/domain';
export type { FieldType } from '@o2/domain';

export interface SchemaField {
  readonly name: string;
  readonly type: FieldType;
}

/**
 * A stream schema: fields sorted by name in code-point order (Rust's byte order on UTF-8, as
 * O2 sorts them). `_timestamp` (Int64) is not moved to the front: it sorts after names that
 * start with a digit and before those that start with a letter.
 */
export type Schema = readonly SchemaField[];

/**
 * The order types widen in: each is a superset of what the ones before it can hold, as far as
 * O2 is concerned (`Int64 + UInt64 → UInt64`, `+ Float64 → Float64`, anything `+ Utf8 → Utf8`).
 */
export const TYPE_RANK: Readonly<Record<FieldType, number>> = {
  Boolean: 0,
  Int64: 1,
  UInt64: 2,
  Float64: 3,
  Utf8: 4,
};

/** Code-point order, so names sort as O2 sorts them (JS `<` compares UTF-16 units). */
export function compareFieldNames(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x === y) continue;
    if (x >= 0xd800 && y >= 0xd800) {
      // surrogates (astral code points) belong after U+E000..U+FFFF
      x = x >= 0xe000 ? x - 0x800 : x + 0x2000;
      y = y >= 0xe000 ? y - 0x800 : y + 0x2000;
    }
    return x - y;
  }
  return a.length - b.length;
}
