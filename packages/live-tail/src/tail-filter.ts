import { DEFAULT_FTS_FIELDS } from '@o2/domain';
import { AppError } from '@o2/errors';

/**
 * The live tail's row filter: a restricted subset of O2's SQL WHERE, parsed here and evaluated
 * on each new row in JavaScript — never spliced into SQL. The ingester runs it on every
 * acknowledged row of a tailed stream, so it must be cheap and bounded: no regular expressions
 * (a user pattern could backtrack for ever), LIKE by a linear wildcard matcher, a length and a
 * nesting cap.
 *
 * Grammar (keywords case-insensitive):
 *   expr    := and (OR and)*
 *   and     := unary (AND unary)*
 *   unary   := NOT unary | '(' expr ')' | call | compare
 *   call    := match_all('t') | match_all_raw('t') | match_all_raw_ignore_case('t')
 *            | str_match(field, 's') | str_match_ignore_case(field, 's')
 *   compare := field (= | != | <> | < | <= | > | >=) literal
 *            | field [NOT] (LIKE | ILIKE) 'pattern' | field [NOT] IN (literal, …)
 *            | field IS [NOT] NULL
 *   field   := identifier | "quoted identifier";  literal := 'string' | number | true | false
 */
export type TailFilter =
  | { kind: 'all' }
  | { kind: 'and' | 'or'; parts: TailFilter[] }
  | { kind: 'not'; part: TailFilter }
  | { kind: 'fts'; term: string; ignoreCase: boolean }
  | { kind: 'contains'; field: string; text: string; ignoreCase: boolean }
  | { kind: 'compare'; field: string; op: CompareOp; value: Literal }
  | { kind: 'like'; field: string; pattern: string; ignoreCase: boolean }
  | { kind: 'in'; field: string; values: Literal[] }
  | { kind: 'null'; field: string };

type CompareOp = '=' | '!=' | '<' | '<=' | '>' | '>=';
type Literal = string | number | boolean;
/** A row as the ingester holds it (flattened; integers past 2^53 may be bigint). */
export type TailRow = Readonly<Record<string, string | number | boolean | bigint>>;

/** Longest filter text accepted, and deepest nesting: both keep parsing and evaluation small. */
export const MAX_FILTER_LENGTH = 4096;
const MAX_DEPTH = 32;

type Token =
  | { t: 'word'; v: string }
  | { t: 'ident'; v: string }
  | { t: 'str'; v: string }
  | { t: 'num'; v: number }
  | { t: 'op'; v: string };

const bad = (reason: string) => AppError.invalidArgument(`invalid live tail filter: ${reason}`);

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i] as string;
    if (/\s/.test(c)) {
      i++;
    } else if (c === "'" || c === '"') {
      let value = '';
      let j = i + 1;
      for (;;) {
        if (j >= text.length) throw bad('unterminated quote');
        if (text[j] === c) {
          if (text[j + 1] === c) {
            value += c;
            j += 2;
            continue;
          }
          break;
        }
        value += text[j];
        j++;
      }
      tokens.push(c === "'" ? { t: 'str', v: value } : { t: 'ident', v: value });
      i = j + 1;
    } else if (/[0-9]/.test(c) || (c === '-' && /[0-9]/.test(text[i + 1] ?? ''))) {
      const match = /^-?\d+(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i)) as RegExpExecArray;
      tokens.push({ t: 'num', v: Number(match[0]) });
      i += match[0].length;
    } else if (/[A-Za-z_]/.test(c)) {
      const match = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(i)) as RegExpExecArray;
      tokens.push({ t: 'word', v: match[0] });
      i += match[0].length;
    } else {
      const two = text.slice(i, i + 2);
      if (['!=', '<>', '<=', '>='].includes(two)) {
        tokens.push({ t: 'op', v: two === '<>' ? '!=' : two });
        i += 2;
      } else if ('=<>(),'.includes(c)) {
        tokens.push({ t: 'op', v: c });
        i++;
      } else {
        throw bad(`unexpected character ${JSON.stringify(c)}`);
      }
    }
  }
  return tokens;
}

class Parser {
  private at = 0;
  constructor(private readonly tokens: Token[]) {}

  parse(): TailFilter {
    const filter = this.or(0);
    const extra = this.tokens[this.at];
    if (extra !== undefined) throw bad(`unexpected ${JSON.stringify(String(extra.v))}`);
    return filter;
  }

  private peekWord(word: string, ahead = 0): boolean {
    const token = this.tokens[this.at + ahead];
    return token?.t === 'word' && token.v.toLowerCase() === word;
  }

  private takeWord(word: string): boolean {
    if (!this.peekWord(word)) return false;
    this.at++;
    return true;
  }

  private takeOp(op: string): boolean {
    const token = this.tokens[this.at];
    if (token?.t !== 'op' || token.v !== op) return false;
    this.at++;
    return true;
  }

  private expectOp(op: string): void {
    if (!this.takeOp(op)) throw bad(`expected "${op}"`);
  }

  private or(depth: number): TailFilter {
    if (depth > MAX_DEPTH) throw bad('nested too deeply');
    const parts = [this.and(depth)];
    while (this.takeWord('or')) parts.push(this.and(depth));
    return parts.length === 1 ? (parts[0] as TailFilter) : { kind: 'or', parts };
  }

  private and(depth: number): TailFilter {
    const parts = [this.unary(depth)];
    while (this.takeWord('and')) parts.push(this.unary(depth));
    return parts.length === 1 ? (parts[0] as TailFilter) : { kind: 'and', parts };
  }

  private unary(depth: number): TailFilter {
    if (depth > MAX_DEPTH) throw bad('nested too deeply');
    if (this.takeWord('not')) return { kind: 'not', part: this.unary(depth + 1) };
    if (this.takeOp('(')) {
      const inner = this.or(depth + 1);
      this.expectOp(')');
      return inner;
    }
    const token = this.tokens[this.at];
    if (token?.t === 'word' && this.tokens[this.at + 1]?.v === '(') return this.call(token.v);
    return this.compare(this.field());
  }

  private call(name: string): TailFilter {
    this.at += 2;
    const fn = name.toLowerCase();
    let filter: TailFilter;
    if (fn === 'match_all' || fn === 'match_all_raw_ignore_case' || fn === 'match_all_raw') {
      filter = { kind: 'fts', term: ftsTerm(this.string()), ignoreCase: fn !== 'match_all_raw' };
    } else if (fn === 'str_match' || fn === 'str_match_ignore_case') {
      const field = this.field();
      this.expectOp(',');
      filter = {
        kind: 'contains',
        field,
        text: this.string(),
        ignoreCase: fn === 'str_match_ignore_case',
      };
    } else {
      throw bad(`function ${name} is not supported in a live tail filter`);
    }
    this.expectOp(')');
    return filter;
  }

  private field(): string {
    const token = this.tokens[this.at];
    if (token?.t !== 'word' && token?.t !== 'ident') throw bad('expected a field name');
    this.at++;
    return token.v;
  }

  private string(): string {
    const token = this.tokens[this.at];
    if (token?.t !== 'str') throw bad('expected a string literal');
    this.at++;
    return token.v;
  }

  private literal(): Literal {
    const token = this.tokens[this.at];
    this.at++;
    if (token?.t === 'str' || token?.t === 'num') return token.v;
    if (token?.t === 'word' && /^(true|false)$/i.test(token.v))
      return token.v.toLowerCase() === 'true';
    throw bad('expected a literal (string, number, true or false)');
  }

  private compare(field: string): TailFilter {
    if (this.takeWord('is')) {
      const negate = this.takeWord('not');
      if (!this.takeWord('null')) throw bad('expected NULL after IS');
      const filter: TailFilter = { kind: 'null', field };
      return negate ? { kind: 'not', part: filter } : filter;
    }
    const negate = this.takeWord('not');
    let filter: TailFilter;
    if (this.peekWord('like') || this.peekWord('ilike')) {
      const ignoreCase = this.peekWord('ilike');
      this.at++;
      filter = { kind: 'like', field, pattern: this.string(), ignoreCase };
    } else if (this.takeWord('in')) {
      this.expectOp('(');
      const values = [this.literal()];
      while (this.takeOp(',')) values.push(this.literal());
      this.expectOp(')');
      filter = { kind: 'in', field, values };
    } else if (!negate) {
      const token = this.tokens[this.at];
      if (token?.t !== 'op' || !['=', '!=', '<', '<=', '>', '>='].includes(token.v))
        throw bad(`expected a comparison after ${field}`);
      this.at++;
      return { kind: 'compare', field, op: token.v as CompareOp, value: this.literal() };
    } else {
      throw bad('expected LIKE, ILIKE or IN after NOT');
    }
    return negate ? { kind: 'not', part: filter } : filter;
  }
}

/** O2 drops `re:` and leading/trailing `*` from a match_all term. */
function ftsTerm(term: string): string {
  const trimmed = term.replace(/^re:/, '').replace(/^\*+/, '').replace(/\*+$/, '');
  if (trimmed === '') throw bad('match_all needs a non-empty term');
  return trimmed;
}

/** Parses `text` (empty or blank: every row); a 400 naming the problem when it is not valid. */
export function parseTailFilter(text: string | undefined): TailFilter {
  if (text === undefined || text.trim() === '') return { kind: 'all' };
  if (text.length > MAX_FILTER_LENGTH) throw bad(`longer than ${MAX_FILTER_LENGTH} characters`);
  return new Parser(tokenize(text)).parse();
}

/** SQL LIKE (`%` any run, `_` one character) without regular expressions: linear in practice. */
export function likeMatches(text: string, pattern: string): boolean {
  let t = 0;
  let p = 0;
  let star = -1;
  let resume = 0;
  while (t < text.length) {
    if (p < pattern.length && (pattern[p] === '_' || pattern[p] === text[t])) {
      t++;
      p++;
    } else if (p < pattern.length && pattern[p] === '%') {
      star = p++;
      resume = t;
    } else if (star >= 0) {
      p = star + 1;
      t = ++resume;
    } else {
      return false;
    }
  }
  while (pattern[p] === '%') p++;
  return p === pattern.length;
}

function compareValues(actual: string | number | boolean | bigint, op: CompareOp, want: Literal) {
  let a: string | number;
  let b: string | number;
  if (typeof want === 'number' && (typeof actual === 'number' || typeof actual === 'bigint')) {
    a = Number(actual);
    b = want;
  } else if (typeof want === 'number' && typeof actual === 'string' && actual.trim() !== '') {
    a = Number(actual);
    b = want;
    if (Number.isNaN(a)) return false;
  } else {
    a = String(actual);
    b = String(want);
  }
  switch (op) {
    case '=':
      return a === b;
    case '!=':
      return a !== b;
    case '<':
      return a < b;
    case '<=':
      return a <= b;
    case '>':
      return a > b;
    case '>=':
      return a >= b;
  }
}

/**
 * Whether `row` passes `filter`. A missing field behaves as SQL NULL: every comparison with it
 * is false (so `NOT x = 'a'` is true only where x exists and differs — close enough to SQL's
 * three-valued logic for a tail, and never an error). `match_all` looks at the default
 * full-text fields plus `ftsFields` (the stream's `full_text_search_keys`).
 */
export function tailFilterMatches(
  filter: TailFilter,
  row: TailRow,
  ftsFields: readonly string[] = [],
): boolean {
  switch (filter.kind) {
    case 'all':
      return true;
    case 'and':
      return filter.parts.every((part) => tailFilterMatches(part, row, ftsFields));
    case 'or':
      return filter.parts.some((part) => tailFilterMatches(part, row, ftsFields));
    case 'not':
      return !tailFilterMatches(filter.part, row, ftsFields);
    case 'fts': {
      const term = filter.ignoreCase ? filter.term.toLowerCase() : filter.term;
      for (const field of [...DEFAULT_FTS_FIELDS, ...ftsFields]) {
        const value = row[field];
        if (typeof value !== 'string') continue;
        if ((filter.ignoreCase ? value.toLowerCase() : value).includes(term)) return true;
      }
      return false;
    }
    case 'contains': {
      const value = row[filter.field];
      if (value === undefined) return false;
      const text = String(value);
      return filter.ignoreCase
        ? text.toLowerCase().includes(filter.text.toLowerCase())
        : text.includes(filter.text);
    }
    case 'compare': {
      const value = row[filter.field];
      return value !== undefined && compareValues(value, filter.op, filter.value);
    }
    case 'like': {
      const value = row[filter.field];
      if (value === undefined) return false;
      return filter.ignoreCase
        ? likeMatches(String(value).toLowerCase(), filter.pattern.toLowerCase())
        : likeMatches(String(value), filter.pattern);
    }
    case 'in': {
      const value = row[filter.field];
      return value !== undefined && filter.values.some((v) => compareValues(value, '=', v));
    }
    case 'null':
      return row[filter.field] === undefined;
  }
}
