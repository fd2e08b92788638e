import { SEARCH_ERROR, searchError } from './search-error.js';

/** The SQL of a request: as given, or decoded from URL-safe base64 when `encoding` says so. */
export function decodeSql(sql: string, encoding?: string): string {
  if (encoding === undefined || encoding === '') return sql;
  if (encoding.toLowerCase() !== 'base64') {
    throw searchError(SEARCH_ERROR.invalidSql, `unknown encoding: ${encoding}`);
  }
  const text = sql.trim();
  // Buffer ignores characters outside the alphabet; O2 rejects them, so check first.
  if (!/^[A-Za-z0-9_\-+/]*={0,2}$/.test(text)) {
    throw searchError(SEARCH_ERROR.invalidSql, 'sql is not valid base64');
  }
  return Buffer.from(text, 'base64').toString('utf8');
}
