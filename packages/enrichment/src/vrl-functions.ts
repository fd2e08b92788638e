import { fn, FunctionError, kindOf, toJson, VFloat, VTimestamp } from '@o2/vrl';
import type { Value, VObject, VrlFunction } from '@o2/vrl';
import type { LoadedTable } from './enrichment-store.js';

/** The tables a program may look up, by name (one org's, from `EnrichmentCache.tables`). */
export type EnrichmentTables = ReadonlyMap<string, LoadedTable>;

type Row = Readonly<Record<string, string>>;
type Test = (row: Row) => boolean;

/** A condition value as the table's strings compare to it (`1` and `"1"` match the same cell). */
function textOf(value: Value): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value instanceof VFloat) return String(value.n);
  const json = toJson(value);
  return typeof json === 'string' ? json : JSON.stringify(json);
}

/** Milliseconds of a range bound: a timestamp, or text a date parser reads. */
function boundMillis(field: string, key: string, value: Value | undefined): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (value instanceof VTimestamp) return value.millis;
  if (typeof value === 'string' && !Number.isNaN(Date.parse(value))) return Date.parse(value);
  throw new FunctionError(`condition ${field}.${key} must be a timestamp, got ${kindOf(value)}`);
}

const isPlainObject = (v: Value): v is VObject =>
  typeof v === 'object' &&
  v !== null &&
  !Array.isArray(v) &&
  Object.getPrototypeOf(v) === Object.prototype;

/**
 * VRL's conditions: each field of the object must hold: a value matches the cell exactly (or
 * case-insensitively), `{"from": t1, "to": t2}` matches a cell whose date lies in [t1, t2]
 * (either bound may be left out). Cells are strings, as O2 stores them; a cell that is not a
 * date never matches a range.
 */
function conditionTests(condition: VObject, caseSensitive: boolean): Test[] {
  return Object.entries(condition).map(([field, value]): Test => {
    if (isPlainObject(value) && ('from' in value || 'to' in value)) {
      const from = boundMillis(field, 'from', value['from']) ?? -Infinity;
      const to = boundMillis(field, 'to', value['to']) ?? Infinity;
      return (row) => {
        const cell = row[field];
        const at = cell === undefined ? NaN : Date.parse(cell);
        return !Number.isNaN(at) && at >= from && at <= to;
      };
    }
    const wanted = caseSensitive ? textOf(value) : textOf(value).toLowerCase();
    return (row) => {
      const cell = row[field];
      if (cell === undefined) return false;
      return (caseSensitive ? cell : cell.toLowerCase()) === wanted;
    };
  });
}

function selectedColumns(select: Value | undefined): string[] | undefined {
  if (select === undefined || select === null) return undefined;
  if (!Array.isArray(select)) throw new FunctionError(`select must be an array`);
  return select.map((s) => {
    if (typeof s !== 'string') throw new FunctionError(`select must hold field names (strings)`);
    return s;
  });
}

/** The matching rows, each a fresh object (a program may change what it gets). */
function lookup(tables: EnrichmentTables, args: (Value | undefined)[]): VObject[] {
  const [table, condition, select, caseSensitive] = args;
  const name = typeof table === 'string' ? table : '';
  const loaded = tables.get(name);
  if (loaded === undefined) throw new FunctionError(`enrichment table ${name} not found`);
  if (!isPlainObject(condition ?? null)) throw new FunctionError('condition must be an object');
  const tests = conditionTests(condition as VObject, caseSensitive !== false);
  const columns = selectedColumns(select) ?? loaded.columns;
  const out: VObject[] = [];
  for (const row of loaded.rows) {
    if (!tests.every((t) => t(row))) continue;
    const record: VObject = {};
    for (const c of columns) {
      const cell = row[c];
      if (cell !== undefined) record[c] = cell;
    }
    out.push(record);
  }
  return out;
}

const PARAMS = ['table:string', 'condition:object', 'select:array?', 'case_sensitive:boolean?'];

/** A table named by a literal must exist when the program compiles (VRL checks this too). */
function tableCheck(tables: EnrichmentTables) {
  return (literals: (Value | undefined)[]): string | undefined => {
    const table = literals[0];
    return typeof table === 'string' && !tables.has(table)
      ? `enrichment table ${table} not found`
      : undefined;
  };
}

/**
 * VRL's enrichment-table functions over one org's tables, for `compileVrl({ functions })`:
 * `get_enrichment_table_record(table, condition, [select], [case_sensitive])` returns the one
 * matching row and fails when none or more than one match; `find_enrichment_table_records(…)`
 * returns every matching row. Both are fallible, as in VRL.
 */
export function enrichmentFunctions(tables: EnrichmentTables): VrlFunction[] {
  const check = tableCheck(tables);
  const get = fn(
    'get_enrichment_table_record',
    PARAMS,
    (args) => {
      const rows = lookup(tables, args);
      if (rows.length === 0) throw new FunctionError('no rows found');
      if (rows.length > 1) throw new FunctionError('more than one row found');
      return rows[0]!;
    },
    { fallible: true },
  );
  const find = fn('find_enrichment_table_records', PARAMS, (args) => lookup(tables, args), {
    fallible: true,
  });
  return [
    { ...get, checkArgs: check },
    { ...find, checkArgs: check },
  ];
}
