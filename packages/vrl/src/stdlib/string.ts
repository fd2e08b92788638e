// String functions: case, search, split/join, replace, slicing and case-style conversions.
import { bool, fn, functionError, int, optInt, str, type VrlFunction } from '../function.js';
import { toBytes } from '../bytes.js';
import { globalRegex } from '../regex.js';
import { kindOf, VRegex, type Value } from '../value.js';

const chars = (s: string): string[] => Array.from(s);

/** Words of an identifier in any style: `fooBar`, `foo_bar`, `foo-bar`, `FOO BAR`. */
/**
 * Splits words on separators, `lower_upper`, `digit_upper` and `acronym` boundaries (each may be
 * excluded). Lower/upper→digit boundaries are not split here, so excluding them changes nothing.
 */
function words(s: string, from?: string, excluded: readonly Value[] = []): string[] {
  let parts: string[];
  switch (from) {
    case 'snake_case':
    case 'SCREAMING_SNAKE':
      parts = s.split('_');
      break;
    case 'kebab-case':
      parts = s.split('-');
      break;
    case 'camelCase':
    case 'PascalCase':
      parts = s.split(/(?=[A-Z])/);
      break;
    case undefined:
    default: {
      let t = s;
      const keep = (b: string): boolean => !excluded.includes(b);
      if (keep('lower_upper')) t = t.replace(/([a-z])([A-Z])/g, '$1 $2');
      if (keep('digit_upper')) t = t.replace(/([0-9])([A-Z])/g, '$1 $2');
      if (keep('acronym')) t = t.replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2');
      parts = t.split(/[^A-Za-z0-9]+/);
    }
  }
  return parts.filter((w) => w !== '').map((w) => w.toLowerCase());
}

const cap = (w: string): string => (w === '' ? w : (w[0] as string).toUpperCase() + w.slice(1));

const caseFn = (name: string, join: (ws: string[]) => string): VrlFunction =>
  fn(name, ['value:string', 'original_case:string?', 'excluded_boundaries:array?'], ([v, o, x]) =>
    join(words(v as string, typeof o === 'string' ? o : undefined, Array.isArray(x) ? x : [])),
  );

function sliceIndex(i: number, len: number): number {
  return i < 0 ? Math.max(0, len + i) : Math.min(i, len);
}

export function replaceAll(s: string, pattern: Value, replacement: string, count: number): string {
  if (typeof pattern === 'string') {
    if (count < 0) return s.split(pattern).join(replacement);
    let out = s;
    let from = 0;
    for (let n = 0; n < count; n++) {
      const i = out.indexOf(pattern, from);
      if (i < 0) break;
      out = out.slice(0, i) + replacement + out.slice(i + pattern.length);
      from = i + replacement.length;
    }
    return out;
  }
  if (!(pattern instanceof VRegex))
    throw functionError(`expected string or regex, got ${kindOf(pattern)}`);
  const re = globalRegex(pattern.re);
  // Rust's `$name` / `${name}` / `$1` replacement syntax maps onto JS's `$<name>` / `$1`.
  const repl = replacement.replace(
    /\$\{(\w+)\}|\$([A-Za-z_]\w*)/g,
    (_m, a?: string, b?: string) => {
      const name = a ?? b ?? '';
      return /^\d+$/.test(name) ? `$${name}` : `$<${name}>`;
    },
  );
  let n = 0;
  return s.replace(re, (...m: unknown[]) => {
    if (count >= 0 && n >= count) return m[0] as string;
    n++;
    const groups = (typeof m[m.length - 1] === 'object' ? m[m.length - 1] : undefined) as
      Record<string, string | undefined> | undefined;
    return repl.replace(/\$<(\w+)>|\$(\d+)/g, (_x, g?: string, d?: string) =>
      g !== undefined ? (groups?.[g] ?? '') : ((m[Number(d)] as string | undefined) ?? ''),
    );
  });
}

export const stringFunctions: VrlFunction[] = [
  fn('upcase', ['value:string'], ([v]) => (v as string).toUpperCase()),
  fn('downcase', ['value:string'], ([v]) => (v as string).toLowerCase()),
  fn('strip_whitespace', ['value:string'], ([v]) => (v as string).trim()),
  fn('strip_ansi_escape_codes', ['value:string'], ([v]) =>
    // eslint-disable-next-line no-control-regex
    (v as string).replace(/\x1b\[[0-9;]*[A-Za-z]/g, ''),
  ),
  fn('strlen', ['value:string'], ([v]) => chars(v as string).length),
  fn('length', ['value:string|array|object'], ([v]) => {
    if (typeof v === 'string') return toBytes(v).length;
    if (Array.isArray(v)) return v.length;
    return Object.keys(v as object).length;
  }),
  fn('contains', ['value:string', 'substring:string', 'case_sensitive:boolean?'], ([v, s, cs]) =>
    bool(cs, true)
      ? (v as string).includes(s as string)
      : (v as string).toLowerCase().includes((s as string).toLowerCase()),
  ),
  fn(
    'contains_all',
    ['value:string', 'substrings:array', 'case_sensitive:boolean?'],
    ([v, subs, cs]) => {
      const sensitive = bool(cs, true);
      const hay = sensitive ? (v as string) : (v as string).toLowerCase();
      return (subs as Value[]).every((s) =>
        hay.includes(sensitive ? str(s) : str(s).toLowerCase()),
      );
    },
  ),
  fn(
    'starts_with',
    ['value:string', 'substring:string', 'case_sensitive:boolean?'],
    ([v, s, cs]) =>
      bool(cs, true)
        ? (v as string).startsWith(s as string)
        : (v as string).toLowerCase().startsWith((s as string).toLowerCase()),
  ),
  fn('ends_with', ['value:string', 'substring:string', 'case_sensitive:boolean?'], ([v, s, cs]) =>
    bool(cs, true)
      ? (v as string).endsWith(s as string)
      : (v as string).toLowerCase().endsWith((s as string).toLowerCase()),
  ),
  fn(
    'truncate',
    ['value:string', 'limit:integer', 'ellipsis:boolean?', 'suffix:string?'],
    ([v, l, e, s]) => {
      const cs = chars(v as string);
      const limit = Math.max(0, l as number);
      if (cs.length <= limit) return v as string;
      const suffix = typeof s === 'string' ? s : bool(e, false) ? '...' : '';
      return cs.slice(0, limit).join('') + suffix;
    },
  ),
  fn('split', ['value:string', 'pattern:string|regex', 'limit:integer?'], ([v, p, l]) => {
    const s = v as string;
    const limit = optInt(l, -1);
    if (limit === 0) return [];
    const parts: string[] = [];
    let rest = s;
    if (typeof p === 'string') {
      if (p === '') return ['', ...chars(s), ''].slice(0, limit > 0 ? limit : undefined);
      for (;;) {
        if (limit > 0 && parts.length === limit - 1) break;
        const i = rest.indexOf(p);
        if (i < 0) break;
        parts.push(rest.slice(0, i));
        rest = rest.slice(i + p.length);
      }
    } else {
      const re = globalRegex((p as VRegex).re);
      let last = 0;
      for (const m of s.matchAll(re)) {
        if (limit > 0 && parts.length === limit - 1) break;
        if (m[0] === '') continue;
        parts.push(s.slice(last, m.index));
        last = m.index + m[0].length;
      }
      rest = s.slice(last);
    }
    parts.push(rest);
    return parts;
  }),
  fn('join', ['value:array', 'separator:string?'], ([v, sep]) =>
    (v as Value[])
      .map((x) => {
        if (typeof x !== 'string') throw functionError(`expected string, got ${kindOf(x)}`);
        return x;
      })
      .join(typeof sep === 'string' ? sep : ''),
  ),
  fn(
    'replace',
    ['value:string', 'pattern:string|regex', 'with:string', 'count:integer?'],
    ([v, p, w, c]) => replaceAll(v as string, p ?? null, w as string, optInt(c, -1)),
  ),
  fn(
    'slice',
    ['value:string|array', 'start:integer', 'end:integer?'],
    ([v, s, e]) => {
      const items = typeof v === 'string' ? chars(v) : (v as Value[]);
      const len = items.length;
      const start = sliceIndex(s as number, len);
      const end = e === undefined || e === null ? len : sliceIndex(e as number, len);
      if ((s as number) > len)
        throw functionError(`"start" must be between "${-len}" and "${len}"`);
      if (start > end) throw functionError(`"start" must be less than or equal to "end"`);
      const out = items.slice(start, end);
      return typeof v === 'string' ? (out as string[]).join('') : out;
    },
    { fallible: true },
  ),
  caseFn('camelcase', (ws) => ws.map((w, i) => (i === 0 ? w : cap(w))).join('')),
  caseFn('pascalcase', (ws) => ws.map(cap).join('')),
  caseFn('snakecase', (ws) => ws.join('_')),
  caseFn('kebabcase', (ws) => ws.join('-')),
  caseFn('screamingsnakecase', (ws) => ws.join('_').toUpperCase()),
  fn('find', ['value:string', 'pattern:string|regex', 'from:integer?'], ([v, p, from]) => {
    const s = v as string;
    const start = optInt(from, 0);
    if (typeof p === 'string') {
      const i = s.indexOf(p, start);
      return i < 0 ? null : i;
    }
    const re = globalRegex((p as VRegex).re);
    re.lastIndex = start;
    const m = re.exec(s);
    return m === null ? null : m.index;
  }),
  fn('match', ['value:string', 'pattern:regex'], ([v, p]) => (p as VRegex).re.test(v as string)),
  fn('match_any', ['value:string', 'patterns:array'], ([v, ps]) =>
    (ps as Value[]).some((p) => p instanceof VRegex && p.re.test(v as string)),
  ),
  fn(
    'sieve',
    [
      'value:string',
      'permitted_characters:regex|string',
      'replace_single:string?',
      'replace_repeated:string?',
    ],
    ([v, p, rs, rr]) => {
      const single = typeof rs === 'string' ? rs : '';
      const repeated = typeof rr === 'string' ? rr : single;
      const ok = (ch: string): boolean =>
        p instanceof VRegex
          ? new RegExp(p.re.source, p.re.flags.replace('g', '')).test(ch)
          : (p as string).includes(ch);
      let out = '';
      let run = 0;
      const flush = (): void => {
        if (run === 1) out += single;
        else if (run > 1) out += repeated;
        run = 0;
      };
      for (const ch of chars(v as string)) {
        if (ok(ch)) {
          flush();
          out += ch;
        } else run++;
      }
      flush();
      return out;
    },
  ),
  fn(
    'format_int',
    ['value:integer', 'base:integer?'],
    ([v, b]) => {
      const base = optInt(b, 10);
      if (base < 2 || base > 36) throw functionError('invalid base');
      return (v as number).toString(base);
    },
    { fallible: true },
  ),
  fn(
    'format_number',
    [
      'value:integer|float',
      'scale:integer?',
      'decimal_separator:string?',
      'grouping_separator:string?',
    ],
    ([v, sc, ds, gs]) => {
      const n = toNumber(v);
      const fixed = sc === undefined || sc === null ? String(n) : n.toFixed(int(sc));
      const [whole, frac] = fixed.split('.') as [string, string?];
      const g = typeof gs === 'string' ? gs : '';
      const grouped = g === '' ? whole : whole.replace(/\B(?=(\d{3})+(?!\d))/g, g);
      return frac === undefined ? grouped : `${grouped}${typeof ds === 'string' ? ds : '.'}${frac}`;
    },
  ),
];

function toNumber(v: Value | undefined): number {
  return typeof v === 'number' ? v : (v as { n: number }).n;
}
