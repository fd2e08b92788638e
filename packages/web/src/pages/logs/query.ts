/** The relative periods the time picker offers, in ms (O2's `period` URL values). */
export const PERIODS: Record<string, number> = {
  '5m': 5 * 60_000,
  '15m': 15 * 60_000,
  '1h': 3_600_000,
  '6h': 6 * 3_600_000,
  '1d': 86_400_000,
  '7d': 7 * 86_400_000,
};

/** SQL mode is recognised from the text as well as the toggle (UI-SPEC §14.1). */
export function looksLikeSql(text: string): boolean {
  return /^\s*select\b[\s\S]*\bfrom\b/i.test(text);
}

const quoteIdent = (name: string) => `"${name.replaceAll('"', '""')}"`;

/**
 * The SQL a search runs: in SQL mode the text itself; in quick mode the text is a WHERE filter
 * (`match_all('x') AND level='error'`) on the picked stream, newest first.
 */
export function buildSql(stream: string, sqlMode: boolean, text: string): string {
  if (sqlMode || looksLikeSql(text)) return text.trim();
  const filter = text.trim();
  const where = filter === '' ? '' : ` WHERE ${filter}`;
  return `SELECT * FROM ${quoteIdent(stream)}${where} ORDER BY _timestamp DESC`;
}

/** The URL carries the query as base64 of its UTF-8 bytes (as O2's `query=`). */
export function encodeQuery(text: string): string {
  const bytes = new TextEncoder().encode(text);
  return btoa(String.fromCharCode(...bytes));
}

export function decodeQuery(encoded: string | null): string {
  if (encoded === null || encoded === '') return '';
  try {
    const binary = atob(encoded);
    return new TextDecoder().decode(Uint8Array.from(binary, (c) => c.charCodeAt(0)));
  } catch {
    return '';
  }
}

/** `field='value'` for the quick-mode filter, with the value's quotes escaped. */
export function equalsFilter(field: string, value: unknown, negate: boolean): string {
  const literal =
    typeof value === 'number' ? String(value) : `'${String(value).replaceAll("'", "''")}'`;
  return `${quoteIdent(field)}${negate ? '!=' : '='}${literal}`;
}

/** Adds `clause` to an SQL query's WHERE (creating it), before GROUP BY / ORDER BY / LIMIT. */
export function addToWhere(sql: string, clause: string): string {
  const tail = /\s+(GROUP\s+BY|ORDER\s+BY|LIMIT)\b/i.exec(sql);
  const head = tail === null ? sql.trim() : sql.slice(0, tail.index);
  const rest = tail === null ? '' : sql.slice(tail.index);
  const joined = /\bWHERE\b/i.test(head) ? `${head} AND ${clause}` : `${head} WHERE ${clause}`;
  return `${joined}${rest}`;
}
