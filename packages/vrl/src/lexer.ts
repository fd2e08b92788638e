// VRL source → tokens. Newlines are tokens (they end expressions); the parser skips them where an
// expression cannot end (inside brackets, after an operator). A path field right after `.` or `%`
// is lexed with the path rules (`.0tar`, `.foo@bar` are fields, not numbers or operators).
import { diagnostic, DiagnosticError } from './diagnostic.js';

export type TokenKind =
  | 'ident'
  | 'field'
  | 'int'
  | 'float'
  | 'string'
  | 'rawstring'
  | 'regex'
  | 'timestamp'
  | 'op'
  | 'newline'
  | 'eof';

export interface Token {
  kind: TokenKind;
  /** Identifier/field text, operator text, or the decoded literal. */
  text: string;
  start: number;
  end: number;
  /** For string tokens: true when the literal holds `{{ … }}` template parts (kept raw in text). */
  template?: boolean;
  /** Whitespace directly before this token. */
  spaced: boolean;
}

const OPS = [
  '??',
  '==',
  '!=',
  '<=',
  '>=',
  '&&',
  '||',
  '|=',
  '->',
  '+',
  '-',
  '*',
  '/',
  '%',
  '<',
  '>',
  '!',
  '=',
  '|',
  '(',
  ')',
  '[',
  ']',
  '{',
  '}',
  ',',
  ':',
  ';',
  '.',
];

const isIdentStart = (c: string): boolean => /[A-Za-z_]/.test(c);
const isIdent = (c: string): boolean => /[A-Za-z0-9_]/.test(c);
const isField = (c: string): boolean => /[A-Za-z0-9_@]/.test(c);
const isDigit = (c: string): boolean => c >= '0' && c <= '9';

const ESCAPES: Record<string, string> = {
  n: '\n',
  t: '\t',
  r: '\r',
  '\\': '\\',
  '"': '"',
  "'": "'",
  '0': '\0',
  '{': '{',
  '}': '}',
};

export function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  let spaced = true;
  const fail = (code: number, msg: string, start: number, end: number): never => {
    throw new DiagnosticError([diagnostic(code, msg, { start, end })]);
  };
  const push = (kind: TokenKind, text: string, start: number, extra?: Partial<Token>): void => {
    out.push({ kind, text, start, end: i, spaced, ...extra });
    spaced = false;
  };
  /** A quoted body up to `quote`; `raw` keeps backslashes except before the quote. */
  const quoted = (quote: string, raw: boolean): string => {
    let s = '';
    while (i < src.length && src[i] !== quote) {
      const c = src[i] as string;
      if (c === '\\') {
        const n = src[i + 1] ?? '';
        if (raw) {
          s += n === quote ? quote : `\\${n}`;
        } else if (n === 'u' && src[i + 2] === '{') {
          const close = src.indexOf('}', i);
          s += String.fromCodePoint(parseInt(src.slice(i + 3, close), 16));
          i = close + 1;
          continue;
        } else if (n === '\n') {
          // A backslash-newline continues the string without the next line's indentation.
          i += 2;
          while (src[i] === ' ' || src[i] === '\t') i++;
          continue;
        } else if (n in ESCAPES) {
          // `\{` / `\}` stay escaped so the template pass can tell them from `{{`.
          s += n === '{' || n === '}' ? `\\${n}` : ESCAPES[n];
        } else fail(209, `invalid escape character: \\${n}`, i, i + 2);
        i += 2;
        continue;
      }
      s += c;
      i++;
    }
    if (i >= src.length) fail(208, 'invalid literal', i - 1, i);
    i++;
    return s;
  };

  while (i < src.length) {
    const c = src[i] as string;
    const start = i;
    if (c === '\n') {
      i++;
      push('newline', '\n', start);
      spaced = true;
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\r') {
      i++;
      spaced = true;
      continue;
    }
    if (c === '#') {
      while (i < src.length && src[i] !== '\n') i++;
      continue;
    }
    const prev = out[out.length - 1];
    const afterPathStart =
      prev !== undefined &&
      prev.kind === 'op' &&
      (prev.text === '.' || prev.text === '%') &&
      prev.end === i;
    if (afterPathStart && isField(c)) {
      while (i < src.length && isField(src[i] as string)) i++;
      push('field', src.slice(start, i), start);
      continue;
    }
    if (c === '"') {
      i++;
      const body = quoted('"', false);
      push('string', body, start, { template: /\{\{/.test(body.replace(/\\[{}]/g, '')) });
      continue;
    }
    if ((c === 's' || c === 'r' || c === 't') && src[i + 1] === "'") {
      i += 2;
      const body = quoted("'", true);
      push(c === 's' ? 'rawstring' : c === 'r' ? 'regex' : 'timestamp', body, start);
      continue;
    }
    if (isDigit(c)) {
      while (i < src.length && (isDigit(src[i] as string) || src[i] === '_')) i++;
      let isFloat = false;
      if (src[i] === '.' && isDigit(src[i + 1] ?? '')) {
        isFloat = true;
        i++;
        while (i < src.length && (isDigit(src[i] as string) || src[i] === '_')) i++;
      }
      if ((src[i] === 'e' || src[i] === 'E') && /[-+0-9]/.test(src[i + 1] ?? '')) {
        isFloat = true;
        i += 2;
        while (i < src.length && isDigit(src[i] as string)) i++;
      }
      if (i < src.length && isIdent(src[i] as string)) {
        while (i < src.length && isIdent(src[i] as string)) i++;
        // `2foo` is a path-like identifier only after `.`; elsewhere a malformed number.
        push('ident', src.slice(start, i), start);
        continue;
      }
      push(isFloat ? 'float' : 'int', src.slice(start, i).replace(/_/g, ''), start);
      continue;
    }
    if (isIdentStart(c)) {
      while (i < src.length && isIdent(src[i] as string)) i++;
      push('ident', src.slice(start, i), start);
      continue;
    }
    const op = OPS.find((o) => src.startsWith(o, i));
    if (op === undefined) fail(203, 'syntax error', i, i + 1);
    i += (op as string).length;
    push('op', op as string, start);
  }
  push('eof', '', i);
  return out;
}
