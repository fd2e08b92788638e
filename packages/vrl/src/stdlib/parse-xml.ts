// parse_xml (elements to objects: attributes under a prefix, text under a key, repeated
// children as arrays) and parse_ruby_hash (`{ "a" => 1, b: nil }`), each a small recursive
// descent parser.
import { bool, fn, functionError, optStr, str, type VrlFunction } from '../function.js';
import { getField, newObject, setField, VFloat, type Value, type VObject } from '../value.js';

interface XmlOptions {
  includeAttr: boolean;
  attrPrefix: string;
  textKey: string;
  alwaysText: boolean;
  parseBool: boolean;
  parseNull: boolean;
  parseNumber: boolean;
  trim: boolean;
}

const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function decode(s: string): string {
  return s.replace(/&(#x[0-9a-fA-F]+|#\d+|\w+);/g, (m, e: string) => {
    if (e.startsWith('#x')) return String.fromCodePoint(Number.parseInt(e.slice(2), 16));
    if (e.startsWith('#')) return String.fromCodePoint(Number(e.slice(1)));
    return ENTITIES[e] ?? m;
  });
}

class Xml {
  private i = 0;
  constructor(
    private readonly s: string,
    private readonly o: XmlOptions,
  ) {}

  private fail(): never {
    throw functionError(`unable to parse xml: unexpected input at ${this.i}`);
  }

  private skipMisc(): void {
    for (;;) {
      while (/\s/.test(this.s[this.i] ?? '')) this.i++;
      const rest = this.s.slice(this.i, this.i + 9);
      const close = rest.startsWith('<?')
        ? '?>'
        : rest.startsWith('<!--')
          ? '-->'
          : rest.startsWith('<!DOCTYPE')
            ? '>'
            : undefined;
      if (close === undefined) return;
      const end = this.s.indexOf(close, this.i);
      if (end < 0) this.fail();
      this.i = end + close.length;
    }
  }

  document(): VObject {
    this.skipMisc();
    const [name, value] = this.element();
    this.skipMisc();
    if (this.i < this.s.length) this.fail();
    const out = newObject();
    setField(out, name, value);
    return out;
  }

  private scalar(text: string): Value {
    const t = this.o.trim ? text.trim() : text;
    if (this.o.parseBool && (t === 'true' || t === 'false')) return t === 'true';
    if (this.o.parseNull && t === 'null') return null;
    if (this.o.parseNumber && /^-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?$/.test(t)) {
      const n = Number(t);
      if (/^-?\d+$/.test(t) && Number.isSafeInteger(n)) return n;
      return Number.isInteger(n) ? new VFloat(n) : n;
    }
    return t;
  }

  private element(): [string, Value] {
    const m = /^<([\w:.-]+)/.exec(this.s.slice(this.i, this.i + 256));
    if (m === null) this.fail();
    const name = m[1] as string;
    this.i += m[0].length;
    const out = newObject();
    let hasAttr = false;
    const attr = /\s*([\w:.-]+)\s*=\s*("([^"]*)"|'([^']*)')/y;
    for (;;) {
      attr.lastIndex = this.i;
      const a = attr.exec(this.s);
      if (a === null) break;
      this.i = attr.lastIndex;
      if (this.o.includeAttr) {
        setField(out, `${this.o.attrPrefix}${a[1]}`, this.scalar(decode(a[3] ?? a[4] ?? '')));
        hasAttr = true;
      }
    }
    while (/\s/.test(this.s[this.i] ?? '')) this.i++;
    if (this.s.startsWith('/>', this.i)) {
      this.i += 2;
      return [name, hasAttr ? out : null];
    }
    if (this.s[this.i++] !== '>') this.fail();
    let text = '';
    let children = false;
    for (;;) {
      if (this.i >= this.s.length) this.fail();
      if (this.s.startsWith('</', this.i)) {
        const end = this.s.indexOf('>', this.i);
        if (end < 0 || this.s.slice(this.i + 2, end).trim() !== name) this.fail();
        this.i = end + 1;
        break;
      }
      if (this.s.startsWith('<![CDATA[', this.i)) {
        const end = this.s.indexOf(']]>', this.i);
        if (end < 0) this.fail();
        text += this.s.slice(this.i + 9, end);
        this.i = end + 3;
      } else if (this.s.startsWith('<!--', this.i) || this.s.startsWith('<?', this.i)) {
        this.skipMisc();
      } else if (this.s[this.i] === '<') {
        const [k, v] = this.element();
        children = true;
        const prev = getField(out, k);
        if (prev === undefined) setField(out, k, v);
        else if (Array.isArray(prev) && Object.hasOwn(out, k)) prev.push(v);
        else setField(out, k, [prev, v]);
      } else {
        const next = this.s.indexOf('<', this.i);
        if (next < 0) this.fail();
        text += decode(this.s.slice(this.i, next));
        this.i = next;
      }
    }
    const hasText = this.o.trim ? text.trim() !== '' : text !== '';
    if (!hasAttr && !children) {
      if (!hasText) return [name, this.o.alwaysText ? { [this.o.textKey]: null } : null];
      const v = this.scalar(text);
      return [name, this.o.alwaysText ? { [this.o.textKey]: v } : v];
    }
    if (hasText) setField(out, this.o.textKey, this.scalar(text));
    return [name, out];
  }
}

class Ruby {
  private i = 0;
  constructor(private readonly s: string) {}

  private ws(): void {
    while (/\s/.test(this.s[this.i] ?? '')) this.i++;
  }

  private fail(): never {
    throw functionError(`unable to parse ruby hash: unexpected input at ${this.i}`);
  }

  parse(): VObject {
    this.ws();
    const v = this.value();
    this.ws();
    if (this.i < this.s.length || typeof v !== 'object' || v === null || Array.isArray(v))
      this.fail();
    return v as VObject;
  }

  private string(): string {
    const q = this.s[this.i++] as string;
    let out = '';
    while (this.i < this.s.length && this.s[this.i] !== q) {
      if (this.s[this.i] === '\\') {
        const c = this.s[++this.i] as string;
        out += q === '"' ? ({ n: '\n', t: '\t', r: '\r' }[c] ?? c) : c;
      } else out += this.s[this.i] as string;
      this.i++;
    }
    if (this.s[this.i++] !== q) this.fail();
    return out;
  }

  private value(): Value {
    this.ws();
    const c = this.s[this.i];
    if (c === '{') return this.hash();
    if (c === '[') {
      this.i++;
      const out: Value[] = [];
      this.ws();
      while (this.s[this.i] !== ']') {
        out.push(this.value());
        this.ws();
        if (this.s[this.i] === ',') this.i++;
        else if (this.s[this.i] !== ']') this.fail();
        this.ws();
      }
      this.i++;
      return out;
    }
    if (c === '"' || c === "'") return this.string();
    if (c === ':') {
      this.i++;
      if (this.s[this.i] === '"' || this.s[this.i] === "'") return this.string();
      return this.word();
    }
    const num = /^-?\d+(\.\d+)?(?:[eE][+-]?\d+)?/.exec(this.s.slice(this.i, this.i + 64));
    if (num !== null) {
      this.i += num[0].length;
      const n = Number(num[0]);
      return num[1] === undefined && !/[eE]/.test(num[0])
        ? n
        : Number.isInteger(n)
          ? new VFloat(n)
          : n;
    }
    const w = this.word();
    if (w === 'nil') return null;
    if (w === 'true' || w === 'false') return w === 'true';
    return this.fail();
  }

  private word(): string {
    const m = /^[A-Za-z_][\w?!]*/.exec(this.s.slice(this.i, this.i + 256));
    if (m === null) this.fail();
    this.i += m[0].length;
    return m[0];
  }

  private hash(): VObject {
    this.i++;
    const out = newObject();
    this.ws();
    while (this.s[this.i] !== '}') {
      let key: string;
      const c = this.s[this.i];
      if (c === '"' || c === "'") key = this.string();
      else if (c === ':') {
        this.i++;
        key = this.s[this.i] === '"' ? this.string() : this.word();
      } else if (/[-\d]/.test(c ?? '')) {
        const n = /^-?\d+(?:\.\d+)?/.exec(this.s.slice(this.i, this.i + 64))?.[0] ?? this.fail();
        this.i += n.length;
        key = n;
      } else key = this.word();
      this.ws();
      if (this.s.startsWith('=>', this.i)) this.i += 2;
      else if (this.s[this.i] === ':') this.i++;
      else this.fail();
      setField(out, key, this.value());
      this.ws();
      if (this.s[this.i] === ',') this.i++;
      else if (this.s[this.i] !== '}') this.fail();
      this.ws();
    }
    this.i++;
    return out;
  }
}

export const xmlFunctions: VrlFunction[] = [
  fn(
    'parse_xml',
    [
      'value:string',
      'include_attr:boolean?',
      'attr_prefix:string?',
      'text_key:string?',
      'always_use_text_key:boolean?',
      'parse_bool:boolean?',
      'parse_null:boolean?',
      'parse_number:boolean?',
      'trim:boolean?',
    ],
    ([v, ia, ap, tk, at, pb, pn, pnum, tr]) =>
      new Xml(str(v), {
        includeAttr: bool(ia, true),
        attrPrefix: optStr(ap, '@'),
        textKey: optStr(tk, 'text'),
        alwaysText: bool(at, false),
        parseBool: bool(pb, true),
        parseNull: bool(pn, true),
        parseNumber: bool(pnum, true),
        trim: bool(tr, true),
      }).document(),
    { fallible: true },
  ),
  fn('parse_ruby_hash', ['value:string'], ([v]) => new Ruby(str(v)).parse(), { fallible: true }),
];
