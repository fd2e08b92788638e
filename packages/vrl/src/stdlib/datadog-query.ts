// match_datadog_query: an event against a Datadog log search query. `@attr:value` looks at the
// attribute path, reserved names (host, service, …) at the top-level field, any other `tag:value`
// at the `tags` array (`"tag:value"` strings), and a bare word at `message` (whole word).
import { fn, functionError, str, withArgCheck, type VrlFunction } from '../function.js';
import { getField, isObject, VFloat, type Value, type VObject } from '../value.js';

type Test = (v: Value) => boolean;
type Node =
  | { k: 'and' | 'or'; a: Node; b: Node }
  | { k: 'not'; a: Node }
  | { k: 'term'; field: string | undefined; test: Test; text: string; exists?: boolean };

const RESERVED = new Set(['host', 'source', 'status', 'service', 'trace_id', 'message']);
const FIELD = /^@?[\w.@/-]+$/;

function num(v: Value): number | undefined {
  if (typeof v === 'number') return v;
  if (v instanceof VFloat) return v.n;
  if (typeof v === 'string' && v.trim() !== '' && !Number.isNaN(Number(v))) return Number(v);
  return undefined;
}

function text(v: Value): string | undefined {
  if (typeof v === 'string') return v;
  const n = num(v);
  if (n !== undefined) return String(n);
  if (typeof v === 'boolean') return String(v);
  return undefined;
}

function glob(pattern: string): RegExp {
  const body = pattern
    .split('*')
    .map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${body}$`, 's');
}

function compare(a: Value, b: string): number | undefined {
  const x = num(a);
  const y = num(b);
  if (x !== undefined && y !== undefined && typeof a !== 'string') return x - y;
  const s = text(a);
  if (s === undefined) return undefined;
  return s < b ? -1 : s > b ? 1 : 0;
}

function valueTest(raw: string, quoted: boolean): Test {
  if (!quoted && raw === '*') return (v) => v !== null;
  if (!quoted && raw.includes('*')) {
    const re = glob(raw);
    return (v) => {
      const s = text(v);
      return s !== undefined && re.test(s);
    };
  }
  return (v) => {
    if (typeof v !== 'string') {
      const x = num(v);
      const y = num(raw);
      if (x !== undefined && y !== undefined) return x === y;
    }
    return text(v) === raw;
  };
}

function rangeTest(lo: string, hi: string, incl: boolean): Test {
  return (v) => {
    const a = lo === '*' ? 0 : compare(v, lo);
    const b = hi === '*' ? 0 : compare(v, hi);
    if (a === undefined || b === undefined) return false;
    return (lo === '*' || (incl ? a >= 0 : a > 0)) && (hi === '*' || (incl ? b <= 0 : b < 0));
  };
}

class Parser {
  private i = 0;
  constructor(private readonly s: string) {}

  private ws(): void {
    while (/\s/.test(this.s[this.i] ?? '')) this.i++;
  }

  private peekWord(w: string): boolean {
    this.ws();
    return this.s.startsWith(w, this.i) && /[\s()]|$/.test(this.s[this.i + w.length] ?? '');
  }

  parse(): Node {
    const n = this.or();
    this.ws();
    if (this.i < this.s.length) throw functionError('failed to build matcher');
    return n;
  }

  private or(): Node {
    let n = this.and();
    while (this.peekWord('OR')) {
      this.i += 2;
      n = { k: 'or', a: n, b: this.and() };
    }
    return n;
  }

  private and(): Node {
    let n = this.unary();
    for (;;) {
      this.ws();
      if (this.i >= this.s.length || this.s[this.i] === ')' || this.peekWord('OR')) return n;
      if (this.peekWord('AND')) this.i += 3;
      n = { k: 'and', a: n, b: this.unary() };
    }
  }

  private unary(): Node {
    this.ws();
    if (this.peekWord('NOT')) {
      this.i += 3;
      return { k: 'not', a: this.unary() };
    }
    if (this.s[this.i] === '-') {
      this.i++;
      return { k: 'not', a: this.unary() };
    }
    if (this.s[this.i] === '(') {
      this.i++;
      const n = this.or();
      this.ws();
      if (this.s[this.i++] !== ')') throw functionError('failed to build matcher');
      return n;
    }
    return this.term();
  }

  private word(): { w: string; quoted: boolean } {
    if (this.s[this.i] === '"') {
      let out = '';
      this.i++;
      while (this.i < this.s.length && this.s[this.i] !== '"') {
        if (this.s[this.i] === '\\') this.i++;
        out += this.s[this.i++] ?? '';
      }
      if (this.s[this.i++] !== '"') throw functionError('failed to build matcher');
      return { w: out, quoted: true };
    }
    let out = '';
    while (this.i < this.s.length && !/[\s():"[\]{}]/.test(this.s[this.i] as string)) {
      if (this.s[this.i] === '\\') this.i++;
      out += this.s[this.i++] ?? '';
    }
    return { w: out, quoted: false };
  }

  private term(): Node {
    const first = this.word();
    if (first.w === '' && !first.quoted) throw functionError('failed to build matcher');
    if (first.quoted || this.s[this.i] !== ':') {
      const re =
        first.w.includes('*') && !first.quoted
          ? new RegExp(`\\b${glob(first.w).source.slice(1, -1)}\\b`)
          : new RegExp(`\\b${first.w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\b`);
      return {
        k: 'term',
        field: undefined,
        text: first.w,
        test: (v) => typeof v === 'string' && re.test(v),
      };
    }
    const field = first.w;
    if (!FIELD.test(field)) throw functionError('failed to build matcher');
    this.i++;
    const c = this.s[this.i];
    if (c === '[' || c === '{') {
      this.i++;
      const m =
        /^\s*("(?:[^"\\]|\\.)*"|[^\s\]}]+)\s+TO\s+("(?:[^"\\]|\\.)*"|[^\s\]}]+)\s*([\]}])/.exec(
          this.s.slice(this.i),
        );
      if (m === null) throw functionError('failed to build matcher');
      this.i += m[0].length;
      const unq = (x: string): string => (x.startsWith('"') ? x.slice(1, -1) : x);
      return {
        k: 'term',
        field,
        text: '',
        test: rangeTest(unq(m[1] as string), unq(m[2] as string), c === '['),
      };
    }
    const cmp = /^(>=|<=|>|<)/.exec(this.s.slice(this.i));
    if (cmp !== null) {
      this.i += cmp[0].length;
      const { w } = this.word();
      const op = cmp[0];
      return {
        k: 'term',
        field,
        text: w,
        test: (v) => {
          const d = compare(v, w);
          if (d === undefined) return false;
          return op === '>' ? d > 0 : op === '>=' ? d >= 0 : op === '<' ? d < 0 : d <= 0;
        },
      };
    }
    const { w, quoted } = this.word();
    if (field === '_exists_' || field === '_missing_')
      return { k: 'term', field: w, text: '', test: () => true, exists: field === '_exists_' };
    return { k: 'term', field, text: w, test: valueTest(w, quoted) };
  }
}

function lookup(event: VObject, path: string): Value | undefined {
  let cur: Value | undefined = event;
  for (const part of path.split('.')) {
    if (cur === undefined || cur === null || !isObject(cur)) return undefined;
    cur = getField(cur, part);
  }
  return cur;
}

function any(v: Value | undefined, test: Test): boolean {
  if (v === undefined) return false;
  return Array.isArray(v) ? v.some((x) => test(x)) : test(v);
}

function matches(n: Node, ev: VObject): boolean {
  switch (n.k) {
    case 'and':
      return matches(n.a, ev) && matches(n.b, ev);
    case 'or':
      return matches(n.a, ev) || matches(n.b, ev);
    case 'not':
      return !matches(n.a, ev);
    case 'term': {
      if (n.field === undefined) return any(getField(ev, 'message'), n.test);
      if (n.exists !== undefined) {
        const path = n.field.replace(/^@/, '');
        const found =
          n.field.startsWith('@') || RESERVED.has(path)
            ? lookup(ev, path) !== undefined
            : tags(ev).some((t) => t === path || t.startsWith(`${path}:`));
        return found === n.exists;
      }
      if (n.field.startsWith('@')) return any(lookup(ev, n.field.slice(1)), n.test);
      if (RESERVED.has(n.field)) return any(getField(ev, n.field), n.test);
      const prefix = `${n.field}:`;
      return tags(ev).some((t) => t.startsWith(prefix) && n.test(t.slice(prefix.length)));
    }
  }
}

function tags(ev: VObject): string[] {
  const t = getField(ev, 'tags');
  return Array.isArray(t) ? t.filter((x): x is string => typeof x === 'string') : [];
}

const cache = new Map<string, Node>();

function compile(query: string): Node {
  let n = cache.get(query);
  if (n === undefined) {
    n = new Parser(query).parse();
    if (cache.size < 256) cache.set(query, n);
  }
  return n;
}

export const datadogFunctions: VrlFunction[] = [
  withArgCheck(
    fn('match_datadog_query', ['value:object', 'query:string'], ([v, q]) =>
      matches(compile(str(q)), v as VObject),
    ),
    ([, q]) => {
      if (typeof q !== 'string') return undefined;
      try {
        compile(q);
        return undefined;
      } catch {
        return 'invalid argument "query": failed to build matcher';
      }
    },
  ),
];
