import { DuckDBListVector, DuckDBTypeId } from '@duckdb/node-api';
import type { DuckDBDataChunk, DuckDBVector } from '@duckdb/node-api';
import type { NumericList } from './types.js';

/** Child types a list column may have to be read as a `NumericList` (exact below 2^53). */
const NUMERIC_CHILDREN: ReadonlySet<DuckDBTypeId> = new Set([
  DuckDBTypeId.DOUBLE,
  DuckDBTypeId.FLOAT,
  DuckDBTypeId.BIGINT,
  DuckDBTypeId.INTEGER,
  DuckDBTypeId.SMALLINT,
  DuckDBTypeId.TINYINT,
  DuckDBTypeId.UBIGINT,
  DuckDBTypeId.UINTEGER,
]);

/** Whether column `c` of the chunk is a list of numbers (then `numericListColumn` reads it). */
export function isNumericListColumn(chunk: DuckDBDataChunk, c: number): boolean {
  const vector = chunk.getColumnVector(c);
  return vector instanceof DuckDBListVector && NUMERIC_CHILDREN.has(vector.childVector.type.typeId);
}

/**
 * The copy of a DOUBLE list's items that `getItemVector` made, when every item is valid: the
 * node API keeps it in the vector's `items` and `validity.data` (absent when all are valid).
 * Taking it is what makes millions of samples cheap; any other shape returns undefined and is
 * read item by item.
 */
function wholeDoubles(slice: DuckDBVector): Float64Array | undefined {
  if (slice.type.typeId !== DuckDBTypeId.DOUBLE) return undefined;
  const inside = slice as unknown as { items?: unknown; validity?: { data?: unknown } };
  return inside.items instanceof Float64Array && inside.validity?.data == null
    ? inside.items
    : undefined;
}

/**
 * A list-of-numbers column as one `NumericList` per row (null for a NULL list or one longer
 * than `maxLength`, which is never copied), without a
 * value object per item or a JSON-shaped array. BIGINT items become numbers (exact below 2^53).
 */
export function numericListColumn(
  chunk: DuckDBDataChunk,
  c: number,
  maxLength: number,
): Array<NumericList | null> {
  const vector = chunk.getColumnVector(c) as DuckDBListVector;
  const out: Array<NumericList | null> = [];
  for (let r = 0; r < vector.itemCount; r++) {
    if (vector.getEntryLength(r) > maxLength) {
      out.push(null);
      continue;
    }
    const slice = vector.getItemVector(r) as DuckDBVector<number | bigint | null> | null;
    if (slice === null) {
      out.push(null);
      continue;
    }
    const whole = wholeDoubles(slice);
    if (whole !== undefined) {
      out.push({ values: whole, nulls: undefined });
      continue;
    }
    const values = new Float64Array(slice.itemCount);
    let nulls: Uint8Array | undefined;
    for (let i = 0; i < values.length; i++) {
      const item = slice.getItem(i);
      if (item === null) {
        nulls ??= new Uint8Array(values.length);
        nulls[i] = 1;
        values[i] = NaN;
      } else values[i] = Number(item);
    }
    out.push({ values, nulls });
  }
  return out;
}
