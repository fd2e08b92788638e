import { quoteIdent } from '../sql-text.js';

/**
 * The few spellings O2's parser (sqlparser, PostgreSQL dialect) accepts that DuckDB's parser
 * rejects, fixed on tokens before DuckDB parses the statement. Everything else is rewritten on
 * the parsed tree. Only identifiers change here, and they are re-emitted through `quoteIdent`,
 * so no user text reaches the statement unquoted.
 *
 * - `FROM default`, `JOIN user`: a stream named like a reserved word. sqlparser takes any word
 *   as a table name; DuckDB needs it quoted.
 * - `FROM 'default'`: O2 reads a single-quoted table name as the stream name.
 * - `approx_percentile_cont(p) WITHIN GROUP (ORDER BY x)`: DuckDB's grammar only knows its own
 *   ordered-set aggregates, so the call is spelled `percentile_cont` for the parser and the
 *   function table treats both the same.
 */

/** DuckDB's reserved keywords (`duckdb_keywords()`, category `reserved`) that can name a stream. */
const RESERVED: ReadonlySet<string> = new Set(
  (
    'all analyse analyze and any array as asc asymmetric both case cast check collate column ' +
    'constraint create default deferrable desc describe distinct do else end except false fetch ' +
    'for foreign from group having in initially intersect into lambda leading limit not null ' +
    'offset on only or order pivot pivot_longer pivot_wider placing primary qualify references ' +
    'returning select show some summarize symmetric table then to trailing true union unique ' +
    'unpivot using variadic when where window with'
  ).split(' '),
);

/** Functions whose argument list has its own `FROM` (`extract(hour FROM ts)`): not a table. */
const FROM_SYNTAX_FUNCTIONS: ReadonlySet<string> = new Set([
  'extract',
  'substring',
  'trim',
  'overlay',
  'position',
]);

/** Words after which a table name may follow. */
const TABLE_INTRO: ReadonlySet<string> = new Set(['from', 'join']);

/** Reserved words that legitimately start what follows FROM/JOIN (not a stream name). */
const NOT_A_NAME: ReadonlySet<string> = new Set(['lateral', 'select', 'with']);

type TokenKind = 'word' | 'quoted' | 'string' | 'space' | 'other';

interface Token {
  kind: TokenKind;
  text: string;
}

function scanQuoted(sql: string, start: number, quote: string): number {
  let i = start + 1;
  while (i < sql.length) {
    if (sql[i] === quote) {
      if (sql[i + 1] === quote) i += 2;
      else return i + 1;
    } else i++;
  }
  return sql.length;
}

/** Splits SQL into words, quoted identifiers, strings, whitespace/comments and the rest. */
export function tokenize(sql: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < sql.length) {
    const c = sql[i]!;
    let end: number;
    let kind: TokenKind;
    if (/\s/.test(c)) {
      end = i + 1;
      while (end < sql.length && /\s/.test(sql[end]!)) end++;
      kind = 'space';
    } else if (c === '-' && sql[i + 1] === '-') {
      end = sql.indexOf('\n', i);
      end = end === -1 ? sql.length : end;
      kind = 'space';
    } else if (c === '/' && sql[i + 1] === '*') {
      end = sql.indexOf('*/', i + 2);
      end = end === -1 ? sql.length : end + 2;
      kind = 'space';
    } else if (c === "'") {
      end = scanQuoted(sql, i, "'");
      kind = 'string';
    } else if (c === '"') {
      end = scanQuoted(sql, i, '"');
      kind = 'quoted';
    } else if (/[A-Za-z_\u0080-\uffff]/.test(c)) {
      end = i + 1;
      while (end < sql.length && /[A-Za-z0-9_$\u0080-\uffff]/.test(sql[end]!)) end++;
      kind = 'word';
    } else {
      end = i + 1;
      kind = 'other';
    }
    tokens.push({ kind, text: sql.slice(i, end) });
    i = end;
  }
  return tokens;
}

function nextSignificant(tokens: readonly Token[], from: number): number {
  let i = from;
  while (i < tokens.length && tokens[i]!.kind === 'space') i++;
  return i;
}

/** Index just past the parenthesised group starting at `open`, or -1. */
function skipParens(tokens: readonly Token[], open: number): number {
  if (tokens[open]?.text !== '(') return -1;
  let depth = 0;
  for (let i = open; i < tokens.length; i++) {
    const t = tokens[i]!.text;
    if (tokens[i]!.kind !== 'other') continue;
    if (t === '(') depth++;
    else if (t === ')' && --depth === 0) return i + 1;
  }
  return -1;
}

function unquoteString(text: string): string {
  return text.slice(1, -1).replaceAll("''", "'");
}

/** Rewrites a table-name token (and its dotted parts) after FROM/JOIN into quoted identifiers. */
function quoteTableName(tokens: Token[], at: number): void {
  let i = at;
  for (;;) {
    const token = tokens[i];
    if (token === undefined) return;
    if (token.kind === 'string') {
      tokens[i] = { kind: 'quoted', text: quoteIdent(unquoteString(token.text)) };
    } else if (token.kind === 'word' && RESERVED.has(token.text.toLowerCase())) {
      if (NOT_A_NAME.has(token.text.toLowerCase())) return;
      tokens[i] = { kind: 'quoted', text: quoteIdent(token.text) };
    } else if (token.kind !== 'word' && token.kind !== 'quoted') {
      return;
    }
    const dot = nextSignificant(tokens, i + 1);
    if (tokens[dot]?.text !== '.') return;
    i = nextSignificant(tokens, dot + 1);
  }
}

/** O2's spellings DuckDB's parser refuses, respelled (see the file comment). */
export function normalizeSql(sql: string): string {
  const tokens = tokenize(sql);
  // One entry per open parenthesis: true inside `extract(...)` and its kin.
  const parens: boolean[] = [];
  let previous: Token | undefined;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (token.kind === 'space') continue;
    const before = previous;
    previous = token;
    if (token.kind === 'other' && token.text === '(') {
      parens.push(before?.kind === 'word' && FROM_SYNTAX_FUNCTIONS.has(before.text.toLowerCase()));
    } else if (token.kind === 'other' && token.text === ')') {
      parens.pop();
    }
    if (token.kind !== 'word') continue;
    const word = token.text.toLowerCase();
    if (TABLE_INTRO.has(word) && parens.at(-1) !== true) {
      quoteTableName(tokens, nextSignificant(tokens, i + 1));
    } else if (word === 'approx_percentile_cont') {
      const close = skipParens(tokens, nextSignificant(tokens, i + 1));
      const within = close === -1 ? undefined : tokens[nextSignificant(tokens, close)];
      if (within?.kind === 'word' && within.text.toLowerCase() === 'within') {
        tokens[i] = { kind: 'word', text: 'percentile_cont' };
      }
    }
  }
  return tokens.map((t) => t.text).join('');
}
