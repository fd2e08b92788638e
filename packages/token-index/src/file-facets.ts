import { gunzipSync, gzipSync } from 'node:zlib';
import { DataType } from 'apache-arrow';
import type { Data, Table, Utf8, Vector } from 'apache-arrow';

/** At most this many distinct values (null included) per column and file get a facet. */
export const MAX_FACET_VALUES = 256;

const MINUTE_MICROS = 60_000_000n;
const FORMAT = 1;

/**
 * A data file's row counts by value: per low-cardinality string or integer column, value → rows
 * (values as text, integers in decimal, null for SQL NULL), and per minute of `_timestamp`
 * (minute index since the epoch) → rows. A querier sums them for group-by, equality and
 * per-minute histogram counts over files lying wholly inside a query's range instead of scanning.
 */
export interface FileFacets {
  rows: number;
  /** Absent when `_timestamp` was not a plain Int64 column without nulls. */
  minutes?: ReadonlyArray<readonly [number, number]>;
  columns: ReadonlyMap<string, ReadonlyArray<readonly [string | null, number]>>;
}

/** Whether a column of this type can get a facet (strings and integers). */
export function facetable(type: DataType): boolean {
  if (DataType.isDictionary(type)) return facetable(type.dictionary as DataType);
  return DataType.isUtf8(type) || DataType.isLargeUtf8(type) || DataType.isInt(type);
}

/**
 * Counts by value for one column, or undefined once it holds more than `MAX_FACET_VALUES`
 * distinct values (a high-cardinality column, left to the scan). Utf8 values are cut from the
 * buffers directly: Arrow's per-value `get` decodes through a TextDecoder, far slower.
 */
function countValues(column: Vector): Map<string | null, number> | undefined {
  const counts = new Map<string | null, number>();
  const add = (value: string | null): boolean => {
    const n = counts.get(value);
    if (n !== undefined) counts.set(value, n + 1);
    else {
      if (counts.size >= MAX_FACET_VALUES) return false;
      counts.set(value, 1);
    }
    return true;
  };
  if (DataType.isUtf8(column.type)) {
    for (const data of column.data as Data<Utf8>[]) {
      const { valueOffsets: offsets, values } = data;
      const text = Buffer.from(values.buffer, values.byteOffset, values.byteLength);
      const nullable = data.nullCount > 0;
      for (let i = 0; i < data.length; i++) {
        const value =
          nullable && !data.getValid(i) ? null : text.toString('utf8', offsets[i], offsets[i + 1]);
        if (!add(value)) return undefined;
      }
    }
    return counts;
  }
  for (const value of column) {
    const key = value === null || value === undefined ? null : String(value);
    if (!add(key)) return undefined;
  }
  return counts;
}

/** Rows per minute of a plain Int64 `_timestamp` column; undefined if nullable or not Int64. */
function countMinutes(column: Vector | null): Map<number, number> | undefined {
  if (column === null) return undefined;
  const minutes = new Map<number, number>();
  let low = 0n;
  let high = 0n; // the current minute's [low, high): empty until the first row
  let minute = 0;
  let run = 0;
  const flush = (): void => {
    if (run > 0) minutes.set(minute, (minutes.get(minute) ?? 0) + run);
  };
  for (const data of column.data) {
    if (!(data.values instanceof BigInt64Array) || data.nullCount > 0) return undefined;
    for (const v of data.values.subarray(0, data.length)) {
      // Files are sorted by time: most rows fall in the minute of the row before.
      if (v >= low && v < high) {
        run++;
        continue;
      }
      flush();
      let q = v / MINUTE_MICROS;
      if (v % MINUTE_MICROS < 0n) q -= 1n; // floor, not truncation, before 1970
      low = q * MINUTE_MICROS;
      high = low + MINUTE_MICROS;
      minute = Number(q);
      run = 1;
    }
  }
  flush();
  return minutes;
}

/**
 * The facets of `table` (a data file's decoded columns) as a small gzipped JSON object, or
 * undefined when the table has no `_timestamp` facet and no column facet.
 */
export function buildFileFacets(table: Table, columns: readonly string[]): Uint8Array | undefined {
  const minutes = countMinutes(table.getChild('_timestamp'));
  const out: Record<string, Array<[string | null, number]>> = {};
  for (const name of columns) {
    if (name === '_timestamp') continue;
    const column = table.getChild(name);
    if (column === null || !facetable(column.type as DataType)) continue;
    const counts = countValues(column);
    if (counts !== undefined) out[name] = [...counts];
  }
  if (minutes === undefined && Object.keys(out).length === 0) return undefined;
  const body = {
    v: FORMAT,
    rows: table.numRows,
    minutes: minutes === undefined ? null : [...minutes].sort((a, b) => a[0] - b[0]),
    columns: out,
  };
  return new Uint8Array(gzipSync(JSON.stringify(body)));
}

/** The facets `buildFileFacets` wrote, or undefined for bytes it did not write. */
export function decodeFileFacets(bytes: Uint8Array): FileFacets | undefined {
  try {
    const body = JSON.parse(gunzipSync(bytes).toString('utf8')) as {
      v?: number;
      rows?: number;
      minutes?: Array<[number, number]> | null;
      columns?: Record<string, Array<[string | null, number]>>;
    };
    if (body.v !== FORMAT || typeof body.rows !== 'number') return undefined;
    return {
      rows: body.rows,
      ...(Array.isArray(body.minutes) ? { minutes: body.minutes } : {}),
      columns: new Map(Object.entries(body.columns ?? {})),
    };
  } catch {
    return undefined;
  }
}
