/** A SQL identifier, double-quoted with embedded quotes doubled. */
export function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** A SQL literal for a filter value: numbers and booleans as is, anything else a quoted string. */
export function literal(value: string | number | boolean): string {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  return `'${String(value).replaceAll("'", "''")}'`;
}

/**
 * One half of O2's `_around`: the rows just before (newest first) or just after (oldest first)
 * the key; the time window itself is the search range. Every user value is quoted, never pasted.
 */
export function aroundSql(
  stream: string,
  filters: Readonly<Record<string, string | number | boolean>> | undefined,
  side: 'before' | 'after',
  limit: number,
): string {
  const where = Object.entries(filters ?? {}).map(
    ([field, value]) => `${quoteIdentifier(field)} = ${literal(value)}`,
  );
  const order = side === 'before' ? 'DESC' : 'ASC';
  const clause = where.length === 0 ? '' : ` WHERE ${where.join(' AND ')}`;
  return `SELECT * FROM ${quoteIdentifier(stream)}${clause} ORDER BY _timestamp ${order} LIMIT ${Math.trunc(limit)}`;
}
