// Literal tokens → values, and `"… {{ expr }} …"` templates → template nodes.
import type { Expr } from './ast.js';
import { diagnostic, DiagnosticError } from './diagnostic.js';
import type { Token } from './lexer.js';
import { makeRegex } from './regex.js';
import { parseRfc3339 } from './time.js';
import { VFloat, type Value } from './value.js';

const unescapeBraces = (s: string): string => s.replace(/\\([{}])/g, '$1');

export function parseLiteralToken(t: Token): Value {
  switch (t.kind) {
    case 'int': {
      // i64: up to 2^63 (which only `-9223372036854775808` may use); held as the nearest double.
      const n = Number(t.text);
      if (!Number.isSafeInteger(n) && BigInt(t.text.replace(/_/g, '')) > 2n ** 63n) {
        throw new DiagnosticError([
          diagnostic(208, 'invalid numeric literal', { start: t.start, end: t.end }),
        ]);
      }
      return n;
    }
    case 'float':
      return new VFloat(Number(t.text));
    case 'string':
      return unescapeBraces(t.text);
    case 'rawstring':
      return t.text;
    case 'regex':
      try {
        return makeRegex(t.text);
      } catch {
        throw new DiagnosticError([
          diagnostic(101, 'invalid regular expression', { start: t.start, end: t.end }),
        ]);
      }
    case 'timestamp': {
      const ts = parseRfc3339(t.text);
      if (ts === undefined) {
        throw new DiagnosticError([
          diagnostic(601, 'invalid timestamp', { start: t.start, end: t.end }),
        ]);
      }
      return ts;
    }
    case 'ident':
    case 'field':
    case 'op':
    case 'newline':
    case 'eof':
      throw new DiagnosticError([diagnostic(203, 'syntax error', { start: t.start, end: t.end })]);
  }
}

export function parseTemplate(t: Token, parse: (src: string) => Expr[]): Expr {
  const parts: (string | Expr)[] = [];
  const raw = t.text;
  let i = 0;
  let lit = '';
  while (i < raw.length) {
    if (raw[i] === '\\' && (raw[i + 1] === '{' || raw[i + 1] === '}')) {
      lit += raw[i + 1];
      i += 2;
      continue;
    }
    if (raw.startsWith('{{', i)) {
      const close = raw.indexOf('}}', i + 2);
      if (close < 0) break;
      if (lit !== '') parts.push(lit);
      lit = '';
      const inner = parse(raw.slice(i + 2, close));
      if (inner.length !== 1) {
        throw new DiagnosticError([
          diagnostic(203, 'syntax error', { start: t.start, end: t.end }),
        ]);
      }
      const e = inner[0] as Expr;
      parts.push({ ...e, start: t.start, end: t.end });
      i = close + 2;
      continue;
    }
    lit += raw[i];
    i++;
  }
  lit += raw.slice(i);
  if (lit !== '') parts.push(lit);
  return { type: 'template', parts, start: t.start, end: t.end };
}
