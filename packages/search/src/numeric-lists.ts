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
 * A list-of-numbers column as one `NumericList` per row (null for a NULL list), read straight
 * from the flat child vector: no value object per item and no JSON-shaped array, which is what
 * makes millions of samples affordable. BIGINT items become numbers (exact below 2^53).
 */
export function numericListColumn(chunk: DuckDBDataChunk, c: number): Array<NumericList | null> {
  const vector = chunk.getColumnVector(c) as DuckDBListVector;
  const child = vector.childVector as DuckDBVector<number | bigint | null>;
  const out: Array<NumericList | null> = [];
  for (let r = 0; r < vector.itemCount; r++) {
    if (vector.getItemVector(r) === null) {
      out.push(null);
      continue;
    }
    const offset = vector.getEntryOffset(r);
    const values = new Float64Array(vector.getEntryLength(r));
    let nulls: Uint8Array | undefined;
    for (let i = 0; i < values.length; i++) {
      const item = child.getItem(offset + i);
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
