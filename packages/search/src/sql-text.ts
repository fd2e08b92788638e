/**
 * The only ways user-supplied text enters SQL that this package writes: as a quoted identifier
 * or a quoted string literal. Both double their quote character, which is all DuckDB's lexer
 * honours inside quotes (no backslash escapes in standard strings).
 */
export function quoteIdent(name: string): string {
  if (name.includes('\0')) throw new TypeError('identifier contains NUL');
  return `"${name.replaceAll('"', '""')}"`;
}

export function quoteLiteral(value: string): string {
  if (value.includes('\0')) throw new TypeError('string literal contains NUL');
  return `'${value.replaceAll("'", "''")}'`;
}

/** A file list for `read_parquet([...])`. */
export function literalList(values: readonly string[]): string {
  return `[${values.map(quoteLiteral).join(', ')}]`;
}

/** Integer literal for a safe JS integer (BIGINT range is wider than what we pass). */
export function intLiteral(value: number): string {
  if (!Number.isSafeInteger(value)) throw new TypeError(`not a safe integer: ${value}`);
  return String(value);
}
