import { SEARCH_ERROR, searchError } from '@o2/errors';

/** A SQL identifier in double quotes, inner quotes doubled: safe for any column or stream name. */
export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** A SQL string literal, inner quotes doubled. NUL cannot be stored in a literal: refused. */
export function quoteLiteral(value: string): string {
  if (value.includes('\0')) throw searchError(SEARCH_ERROR.invalidParams, 'NUL in a string');
  return `'${value.replaceAll("'", "''")}'`;
}

const invalidFilter = (why: string) =>
  searchError(SEARCH_ERROR.invalidSql, `filter ${why}`, { code: 'INVALID_ARGUMENT' });

/**
 * Checks that a user `filter` is one boolean expression that stays inside the `WHERE (…)` it is
 * put in: parentheses balance outside string literals and quoted identifiers, literals and
 * identifiers are closed, and there is no statement separator or comment (which could hide the
 * closing parenthesis). The assembled query then goes through the querier's `_search` validation
 * (read-only SELECT over known streams of this org), so this lexical check only has to keep the
 * filter from reshaping the query around it. Returns the filter trimmed.
 */
export function checkFilter(filter: string): string {
  const text = filter.trim();
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === "'" || ch === '"') {
      const end = closingQuote(text, i, ch, ch === "'" && startsEscapeString(text, i));
      if (end < 0)
        throw invalidFilter(`has an unterminated ${ch === "'" ? 'string' : 'identifier'}`);
      i = end;
    } else if (ch === '(') depth++;
    else if (ch === ')') {
      depth--;
      if (depth < 0) throw invalidFilter('closes a parenthesis it did not open');
    } else if (ch === ';') throw invalidFilter('may not contain ";"');
    else if ((ch === '-' && text[i + 1] === '-') || (ch === '/' && text[i + 1] === '*'))
      throw invalidFilter('may not contain comments');
    else if (ch === '$') throw invalidFilter('may not contain "$" (dollar quoting, parameters)');
  }
  if (depth !== 0) throw invalidFilter('has an unclosed parenthesis');
  return text;
}

const WORD_CHAR = /[A-Za-z0-9_]/;

/**
 * Whether the quote at `at` opens an escape string (`E'…'`, where DuckDB reads `\'` as a quote
 * inside the string): an `E` that starts a token right before it. Missing this would let
 * `E'\'' ) …` look closed to us while DuckDB reads on.
 */
function startsEscapeString(text: string, at: number): boolean {
  const prefix = text[at - 1];
  return (prefix === 'e' || prefix === 'E') && !WORD_CHAR.test(text[at - 2] ?? '');
}

/**
 * Index of the quote closing the one at `start`, or -1. A doubled quote is an escaped one; in
 * an escape string a backslash also escapes the character after it.
 */
function closingQuote(text: string, start: number, quote: string, backslash: boolean): number {
  for (let i = start + 1; i < text.length; i++) {
    if (backslash && text[i] === '\\') {
      i++;
      continue;
    }
    if (text[i] !== quote) continue;
    if (text[i + 1] === quote) {
      i++;
      continue;
    }
    return i;
  }
  return -1;
}
