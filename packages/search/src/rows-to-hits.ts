import {
  arrayFromArrayValue,
  arrayFromListValue,
  createDuckDBValueConverter,
  DuckDBTypeId,
  numberFromValue,
  objectFromStructValue,
  stringFromValue,
} from '@duckdb/node-api';
import type { DuckDBResult, DuckDBType, DuckDBValue, DuckDBValueConverter } from '@duckdb/node-api';
import { isNumericListColumn, numericListColumn } from './numeric-lists.js';
import type { Hit, NumericListOptions } from './types.js';

type HitValue = unknown;

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

/**
 * `"YYYY-MM-DDTHH:MM:SS"` (plus `.ffffff` when not whole seconds), no zone: how arrow_json
 * prints O2's Timestamp(µs) columns such as `histogram(...)` keys.
 */
export function formatTimestampMicros(micros: bigint): string {
  const ms = Number(micros / 1000n);
  let fraction = Number(micros % 1_000_000n);
  const date = new Date(ms - (fraction < 0 ? 1000 : 0));
  if (fraction < 0) fraction += 1_000_000;
  const base =
    `${pad(date.getUTCFullYear(), 4)}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}` +
    `T${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}`;
  return fraction === 0 ? base : `${base}.${pad(fraction, 6)}`;
}

function bigNumber(value: DuckDBValue): number {
  return Number(value);
}

function finite(value: DuckDBValue): number | null {
  const n = numberFromValue(value);
  return Number.isFinite(n) ? n : null;
}

function timestampFrom(scale: bigint, divide = false) {
  return (value: DuckDBValue): string => {
    const raw = value as { micros?: bigint; millis?: bigint; seconds?: bigint; nanos?: bigint };
    const units = raw.micros ?? raw.millis ?? raw.seconds ?? raw.nanos ?? 0n;
    return formatTimestampMicros(divide ? units / scale : units * scale);
  };
}

function timestampTz(value: DuckDBValue): string {
  return `${formatTimestampMicros((value as { micros: bigint }).micros)}Z`;
}

function decimal(value: DuckDBValue): number {
  const d = value as { value: bigint; scale: number };
  return Number(d.value) / 10 ** d.scale;
}

/** Plain objects of a map value (keys as text). */
function mapObject(
  value: DuckDBValue,
  type: DuckDBType,
  converter: DuckDBValueConverter<HitValue>,
): Record<string, HitValue> {
  const entries = (value as { entries: Array<{ key: DuckDBValue; value: DuckDBValue }> }).entries;
  const valueType = (type as unknown as { valueType: DuckDBType }).valueType;
  const out: Record<string, HitValue> = {};
  for (const entry of entries) {
    out[String(entry.key)] =
      entry.value === null ? null : converter(entry.value, valueType, converter);
  }
  return out;
}

/**
 * DuckDB values → what O2's JSON writer emits: integers of every width as JSON numbers (beyond
 * 2^53 they round, as JS numbers must), timestamps as naive ISO text, lists and structs as JSON.
 */
const HIT_CONVERTER = createDuckDBValueConverter<HitValue>({
  [DuckDBTypeId.INVALID]: undefined,
  [DuckDBTypeId.BOOLEAN]: (v) => v,
  [DuckDBTypeId.TINYINT]: finite,
  [DuckDBTypeId.SMALLINT]: finite,
  [DuckDBTypeId.INTEGER]: finite,
  [DuckDBTypeId.BIGINT]: bigNumber,
  [DuckDBTypeId.UTINYINT]: finite,
  [DuckDBTypeId.USMALLINT]: finite,
  [DuckDBTypeId.UINTEGER]: finite,
  [DuckDBTypeId.UBIGINT]: bigNumber,
  [DuckDBTypeId.FLOAT]: finite,
  [DuckDBTypeId.DOUBLE]: finite,
  [DuckDBTypeId.TIMESTAMP]: timestampFrom(1n),
  [DuckDBTypeId.DATE]: stringFromValue,
  [DuckDBTypeId.TIME]: stringFromValue,
  [DuckDBTypeId.INTERVAL]: stringFromValue,
  [DuckDBTypeId.HUGEINT]: bigNumber,
  [DuckDBTypeId.UHUGEINT]: bigNumber,
  [DuckDBTypeId.VARCHAR]: (v) => v,
  [DuckDBTypeId.BLOB]: stringFromValue,
  [DuckDBTypeId.DECIMAL]: decimal,
  [DuckDBTypeId.TIMESTAMP_S]: timestampFrom(1_000_000n),
  [DuckDBTypeId.TIMESTAMP_MS]: timestampFrom(1000n),
  [DuckDBTypeId.TIMESTAMP_NS]: timestampFrom(1000n, true),
  [DuckDBTypeId.ENUM]: stringFromValue,
  [DuckDBTypeId.LIST]: arrayFromListValue,
  [DuckDBTypeId.STRUCT]: objectFromStructValue,
  [DuckDBTypeId.MAP]: mapObject,
  [DuckDBTypeId.ARRAY]: arrayFromArrayValue,
  [DuckDBTypeId.UUID]: stringFromValue,
  [DuckDBTypeId.UNION]: stringFromValue,
  [DuckDBTypeId.BIT]: stringFromValue,
  [DuckDBTypeId.TIME_TZ]: stringFromValue,
  [DuckDBTypeId.TIMESTAMP_TZ]: timestampTz,
  [DuckDBTypeId.ANY]: undefined,
  [DuckDBTypeId.BIGNUM]: bigNumber,
  [DuckDBTypeId.SQLNULL]: () => null,
  [DuckDBTypeId.STRING_LITERAL]: stringFromValue,
  [DuckDBTypeId.INTEGER_LITERAL]: bigNumber,
  [DuckDBTypeId.TIME_NS]: stringFromValue,
  [DuckDBTypeId.GEOMETRY]: stringFromValue,
  [DuckDBTypeId.VARIANT]: stringFromValue,
});

/**
 * Reads every chunk of a result into hits; null columns are left out of each hit, as O2 does.
 * With `numericLists`, list-of-numbers columns are `NumericList`s (see `SearchOptions`).
 */
export async function resultToHits(
  result: DuckDBResult,
  numericLists?: NumericListOptions,
): Promise<Hit[]> {
  const names = result.columnNames();
  const hits: Hit[] = [];
  for (;;) {
    const chunk = await result.fetchChunk();
    if (chunk === null || chunk.rowCount === 0) break;
    const start = hits.length;
    for (let r = 0; r < chunk.rowCount; r++) hits.push({});
    for (let c = 0; c < names.length; c++) {
      const name = names[c]!;
      const values =
        numericLists !== undefined && isNumericListColumn(chunk, c)
          ? numericListColumn(chunk, c, numericLists.maxLength ?? Infinity)
          : chunk.convertColumnValues(c, HIT_CONVERTER);
      for (let r = 0; r < values.length; r++) {
        const value = values[r];
        if (value !== null && value !== undefined) hits[start + r]![name] = value;
      }
    }
  }
  return hits;
}
