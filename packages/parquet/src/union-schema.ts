import type { ColumnSpec, ColumnType } from './column-spec.js';

const NUMERIC: ReadonlySet<ColumnType> = new Set(['Int64', 'UInt64', 'Float64']);

/** The type both `a` and `b` values fit in: numbers widen to Float64, any other mix to Utf8. */
export function widerType(a: ColumnType, b: ColumnType): ColumnType {
  if (a === b) return a;
  if (NUMERIC.has(a) && NUMERIC.has(b)) return 'Float64';
  return 'Utf8';
}

/**
 * Every column of every schema, in order of first appearance, each with the type all its
 * values fit in (the int → float → string widening streams follow).
 */
export function unionSchema(schemas: ReadonlyArray<readonly ColumnSpec[]>): ColumnSpec[] {
  const byName = new Map<string, ColumnSpec>();
  for (const schema of schemas) {
    for (const { name, type } of schema) {
      const known = byName.get(name);
      byName.set(name, { name, type: known === undefined ? type : widerType(known.type, type) });
    }
  }
  return [...byName.values()];
}
