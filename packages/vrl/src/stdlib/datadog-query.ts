// match_datadog_query: Datadog's log search syntax on an object. Supported: bare words (full
// text on `message`), `@attribute:value`, reserved fields (host, source, status, service,
// trace_id, message), `tag:value` against the `tags` array, `*` wildcards, quoted phrases,
// ranges `[a TO b]` / `{a TO b}`, comparisons `>`, `>=`, `<`, `<=`, `_exists_:` / `_missing_:`,
// AND / OR / NOT / `-`, and parentheses. Adjacent terms are ANDed.
import { fn, functionError, withArgCheck, type VrlFunction } from '../function.js';
import { kindOf, VFloat, type Value, type VObject } from '../value.js';

type Query =
  | { t: 'all' }
  | { t: 'not'; q: Query }
  | { t: 'and' | 'or'; qs: Query[] }
  | { t: 'term'; field?: string; value: string; quoted: boolean }
  | { t: 'range'; field: string; lo?: string; hi?: string; loIn: boolean; hiIn: boolean };

const RESERVED = new Set(['host', 'source', 'status', 'service', 'trace_id', 'message']);

function tokenize(q: string): string[] {
  const out: string[] = [];
  const re =
    /\s*(\(|\)|"(?:[^"\\]|\\.)*"|[[{][^\]}]*[\]}]|(?:[^\s()"\\[{]|\\.)+(?:[[{][^\]}]*[\]}]|"(?:[^"\\]|\\.)*")?)/y;
  let pos = 0;
  while (q.slice(pos).trim() !== '') {
    re.lastIndex = pos;
    const m = re.exec(q);
    if (m === null) throw functionError(`invalid Datadog query near ${q.slice(pos).trim()}`);
    out.push(m[1] as string);
    pos = re.lastIndex;
  }
  return out;
}

const unquote = (s: string): string => s.slice(1, -1).replace(/\\(.)/g, '$1');

function termOf(tok: string): Query {
  if (tok === '*' || tok === '*:*') return { t: 'all' };
  const sep = /^((?:[^:\\]|\\.)+?):(.*)$/s.exec(tok);
  if (sep === null) {
    const quoted = tok.startsWith('"');
    return { t: 'term', value: quoted ? unquote(tok) : tok.replace(/\\(.)/g, '$1'), quoted };
  }
  const field = (sep[1] as string).replace(/\\(.)/g, '$1');
  if (!/^@?[\p{L}\p{N}_.-]+$/u.test(field))
    throw functionError(`invalid Datadog query: bad field name ${field}`);
  const rest = sep[2] as string;
  const range = /^([[{])\s*(\S+)\s+TO\s+(\S+)\s*([\]}])$/.exec(rest);
  if (range !== null) {
    const bound = (b: string): string | undefined =>
      b === '*' ? undefined : b.startsWith('"') ? unquote(b) : b;
    return {
      t: 'range',
      field,
      lo: bound(range[2] as string),
      hi: bound(range[3] as string),
      loIn: range[1] === '[',
      hiIn: range[4] === ']',
    };
  }
  const cmp = /^(>=|<=|>|<)(.+)$/.exec(rest);
  if (cmp !== null) {
    const op = cmp[1] as string;
    const v = cmp[2] as string;
    return op.startsWith('>')
      ? { t: 'range', field, lo: v, loIn: op === '>=', hiIn: false }
      : { t: 'range', field, hi: v, loIn: false, hiIn: op === '<=' };
  }
  const quoted = rest.startsWith('"');
  return { t: 'term', field, value: quoted ? unquote(rest) : rest.replace(/\\(.)/g, '$1'), quoted };
}

function parse(tokens: string[]): Query {
  let i = 0;
  const or = (): Query => {
    const qs = [and()];
    while (tokens[i] === 'OR') {
      i++;
      qs.push(and());
    }
    return qs.length === 1 ? (qs[0] as Query) : { t: 'or', qs };
  };
  const and = (): Query => {
    const qs = [unary()];
    while (i < tokens.length && tokens[i] !== 'OR' && tokens[i] !== ')') {
      if (tokens[i] === 'AND') i++;
      qs.push(unary());
    }
    return qs.length === 1 ? (qs[0] as Query) : { t: 'and', qs };
  };
  const unary = (): Query => {
    const tok = tokens[i];
    if (tok === undefined) throw functionError('invalid Datadog query: unexpected end');
    if (tok === 'NOT') {
      i++;
      return { t: 'not', q: unary() };
    }
    if (tok.startsWith('-') && tok.length > 1) {
      tokens[i] = tok.slice(1);
      return { t: 'not', q: unary() };
    }
    if (tok === '(') {
      i++;
      const q = or();
      if (tokens[i++] !== ')') throw functionError('invalid Datadog query: missing )');
      return q;
    }
    i++;
    return termOf(tok);
  };
  if (tokens.length === 0) return { t: 'all' };
  const q = or();
  if (i < tokens.length) throw functionError(`invalid Datadog query near ${tokens[i] as string}`);
  return q;
}

const glob = (pattern: string): RegExp =>
  new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`, 's');

function scalarText(v: Value): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (v instanceof VFloat) return String(v.n);
  return undefined;
}

function lookup(obj: VObject, path: string): Value | undefined {
  if (Object.hasOwn(obj, path)) return obj[path];
  let cur: Value | undefined = obj;
  for (const part of path.split('.')) {
    if (cur === null || cur === undefined || kindOf(cur) !== 'object') return undefined;
    cur = (cur as VObject)[part];
  }
  return cur;
}

/** Values a field stands for: an attribute's value(s), or the values of matching tags. */
function fieldValues(obj: VObject, field: string): Value[] {
  if (field.startsWith('@') || RESERVED.has(field)) {
    const v = lookup(obj, field.startsWith('@') ? field.slice(1) : field);
    return v === undefined ? [] : Array.isArray(v) ? v : [v];
  }
  const tags = obj['tags'];
  if (!Array.isArray(tags)) return [];
  const out: Value[] = [];
  for (const t of tags) {
    if (typeof t !== 'string') continue;
    const c = t.indexOf(':');
    if (c < 0 ? t === field : t.slice(0, c) === field) out.push(c < 0 ? '' : t.slice(c + 1));
  }
  return out;
}

function compare(v: Value, bound: string): number | undefined {
  const n = typeof v === 'number' ? v : v instanceof VFloat ? v.n : undefined;
  const b = Number(bound);
  if (n !== undefined && bound.trim() !== '' && !Number.isNaN(b)) return n - b;
  const s = scalarText(v);
  if (s === undefined) return undefined;
  const sn = Number(s);
  if (s.trim() !== '' && !Number.isNaN(sn) && !Number.isNaN(b)) return sn - b;
  return s < bound ? -1 : s > bound ? 1 : 0;
}

function matches(obj: VObject, q: Query): boolean {
  switch (q.t) {
    case 'all':
      return true;
    case 'not':
      return !matches(obj, q.q);
    case 'and':
      return q.qs.every((x) => matches(obj, x));
    case 'or':
      return q.qs.some((x) => matches(obj, x));
    case 'range':
      return fieldValues(obj, q.field).some((v) => {
        const lo = q.lo === undefined ? 1 : compare(v, q.lo);
        const hi = q.hi === undefined ? -1 : compare(v, q.hi);
        if (lo === undefined || hi === undefined) return false;
        return (q.loIn ? lo >= 0 : lo > 0) && (q.hiIn ? hi <= 0 : hi < 0);
      });
    case 'term': {
      if (q.field === '_exists_' || q.field === '_missing_') {
        const present = fieldValues(obj, q.value).length > 0;
        return q.field === '_exists_' ? present : !present;
      }
      const re = q.quoted ? undefined : q.value.includes('*') ? glob(q.value) : undefined;
      if (q.field === undefined) {
        const msg = scalarText(obj['message'] ?? null);
        if (msg === undefined) return false;
        if (q.quoted) return msg.includes(q.value);
        return msg.split(/[^\p{L}\p{N}_]+/u).some((w) => (re ? re.test(w) : w === q.value));
      }
      return fieldValues(obj, q.field).some((v) => {
        const s = scalarText(v);
        if (s === undefined) return false;
        if (re) return re.test(s);
        const c = compare(v, q.value);
        return s === q.value || (c === 0 && typeof v !== 'string');
      });
    }
  }
}

export const datadogQueryFunction: VrlFunction = withArgCheck(
  fn('match_datadog_query', ['value:object', 'query:string'], ([v, q]) =>
    matches(v as VObject, parse(tokenize(q as string))),
  ),
  ([, q]) => {
    if (typeof q !== 'string') return undefined;
    try {
      parse(tokenize(q));
      return undefined;
    } catch {
      return 'invalid argument "query": failed to build matcher';
    }
  },
);
