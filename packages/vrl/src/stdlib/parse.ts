// Text parsers: regex captures, key=value / logfmt, tokens, query strings, URLs, CSV, durations.
import { bool, fn, functionError, optStr, type VrlFunction } from '../function.js';
import { globalRegex } from '../regex.js';
import {
  isObject,
  kindOf,
  newObject,
  setField,
  VFloat,
  VRegex,
  type Value,
  type VObject,
} from '../value.js';
import { toStringValue } from './types.js';

function captures(m: RegExpExecArray, numeric: boolean): VObject {
  const out = newObject();
  if (numeric) m.forEach((g, i) => setField(out, String(i), g ?? null));
  for (const [k, v] of Object.entries(m.groups ?? {})) setField(out, k, v ?? null);
  return out;
}

function regexOf(v: Value | undefined): RegExp {
  if (!(v instanceof VRegex)) throw functionError(`expected regex, got ${kindOf(v ?? null)}`);
  return v.re;
}

function addKey(out: VObject, k: string, v: Value): void {
  if (Object.hasOwn(out, k)) {
    const prev = out[k] as Value;
    setField(out, k, Array.isArray(prev) ? [...prev, v] : [prev, v]);
  } else setField(out, k, v);
}

/** `key=value` pairs with quoting; a bare word is `true` unless `accept_standalone_key` is off. */
function parseKeyValue(
  s: string,
  kvDelim: string,
  fieldDelim: string,
  strict: boolean,
  standalone: boolean,
): VObject {
  const out = newObject();
  let i = 0;
  const skipSpace = (): void => {
    while (!strict && i < s.length && s[i] === ' ' && fieldDelim !== ' ') i++;
  };
  const token = (stops: string[]): string => {
    skipSpace();
    if (s[i] === '"') {
      let v = '';
      i++;
      while (i < s.length && s[i] !== '"') {
        if (s[i] === '\\' && i + 1 < s.length) {
          v += s[i + 1];
          i += 2;
        } else v += s[i++];
      }
      i++;
      return v;
    }
    const start = i;
    while (i < s.length && !stops.some((d) => s.startsWith(d, i))) i++;
    return s.slice(start, i);
  };
  while (i < s.length) {
    while (s.startsWith(fieldDelim, i) || (!strict && s[i] === ' '))
      i += s.startsWith(fieldDelim, i) ? fieldDelim.length : 1;
    if (i >= s.length) break;
    const key = token([kvDelim, fieldDelim]).trim();
    if (!strict) while (s[i] === ' ' && !s.startsWith(kvDelim, i)) i++;
    if (s.startsWith(kvDelim, i)) {
      i += kvDelim.length;
      const value = strict && (s[i] === ' ' || i >= s.length) ? '' : token([fieldDelim]);
      addKey(out, key, strict ? value : value.trim());
    } else if (key !== '') {
      if (standalone) addKey(out, key, true);
    }
  }
  return out;
}

function encodeKeyValue(
  o: VObject,
  order: Value[] | undefined,
  kvDelim: string,
  fieldDelim: string,
  flattenBoolean: boolean,
): string {
  // Nested objects become dotted keys first; the ordering then names those flat keys.
  const flat = new Map<string, Value>();
  const walk = (prefix: string, v: Value): void => {
    if (isObject(v))
      for (const k of Object.keys(v)) walk(prefix === '' ? k : `${prefix}.${k}`, v[k] as Value);
    else if (Array.isArray(v)) v.forEach((x, i) => walk(`${prefix}[${i}]`, x));
    else flat.set(prefix, v);
  };
  walk('', o);
  const named = (order ?? []).map((k) => toStringValue(k)).filter((k) => flat.has(k));
  const rest = [...flat.keys()].filter((k) => !named.includes(k)).sort();
  const parts: string[] = [];
  for (const k of [...named, ...rest]) {
    const v = flat.get(k) as Value;
    if (flattenBoolean && typeof v === 'boolean') {
      if (v) parts.push(k);
      continue;
    }
    let text = toStringValue(v);
    if (/[\s"]/.test(text) || text.includes(fieldDelim) || text === '')
      text = `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
    parts.push(`${k}${kvDelim}${text}`);
  }
  return parts.join(fieldDelim);
}

function tokens(s: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < s.length) {
    if (s[i] === ' ') {
      i++;
      continue;
    }
    let tok = '';
    if (s[i] === '"') {
      i++;
      while (i < s.length && s[i] !== '"') {
        if (s[i] === '\\' && s[i + 1] === '"') {
          tok += '\\"';
          i += 2;
        } else tok += s[i++];
      }
      i++;
    } else if (s[i] === '[') {
      i++;
      while (i < s.length && s[i] !== ']') tok += s[i++];
      i++;
    } else while (i < s.length && s[i] !== ' ') tok += s[i++];
    out.push(tok);
  }
  return out.map((t) => t);
}

function parseQuery(q: string): VObject {
  const out = newObject();
  const body = q.startsWith('?') ? q.slice(1) : q;
  if (body === '') return out;
  for (const part of body.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const dec = (x: string): string => decodeURIComponent(x.replace(/\+/g, ' '));
    const k = dec(eq < 0 ? part : part.slice(0, eq));
    addKey(out, k, eq < 0 ? '' : dec(part.slice(eq + 1)));
  }
  return out;
}

const DEFAULT_PORTS: Record<string, number> = { http: 80, https: 443, ftp: 21, ws: 80, wss: 443 };

const DURATION_UNITS: Record<string, number> = {
  ns: 1e-9,
  us: 1e-6,
  µs: 1e-6,
  ms: 1e-3,
  cs: 1e-2,
  ds: 1e-1,
  s: 1,
  m: 60,
  h: 3600,
  d: 86400,
};

function parseCsvRow(s: string, delim: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i] as string;
    if (quoted) {
      if (c === '"' && s[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cur += c;
    } else if (c === '"') quoted = true;
    else if (c === delim) {
      out.push(cur);
      cur = '';
    } else if (c === '\n') break;
    else cur += c;
  }
  out.push(cur);
  return out;
}

export const parseFunctions: VrlFunction[] = [
  fn(
    'parse_regex',
    ['value:string', 'pattern:regex', 'numeric_groups:boolean?'],
    ([v, p, n]) => {
      const m = new RegExp(regexOf(p).source, regexOf(p).flags.replace('g', '')).exec(v as string);
      if (m === null) throw functionError('could not find any pattern matches');
      return captures(m, bool(n, false));
    },
    { fallible: true },
  ),
  fn(
    'parse_regex_all',
    ['value:string', 'pattern:regex', 'numeric_groups:boolean?'],
    ([v, p, n]) =>
      [...(v as string).matchAll(globalRegex(regexOf(p)))].map((m) => captures(m, bool(n, false))),
    { fallible: true },
  ),
  fn(
    'parse_key_value',
    [
      'value:string',
      'key_value_delimiter:string?',
      'field_delimiter:string?',
      'whitespace:string?',
      'accept_standalone_key:boolean?',
    ],
    ([v, kv, fd, ws, sa]) =>
      parseKeyValue(
        v as string,
        optStr(kv, '='),
        optStr(fd, ' '),
        optStr(ws, 'lenient') === 'strict',
        bool(sa, true),
      ),
    { fallible: true },
  ),
  fn('parse_logfmt', ['value:string'], ([v]) => parseKeyValue(v as string, '=', ' ', false, true), {
    fallible: true,
  }),
  fn(
    'encode_key_value',
    [
      'value:object',
      'fields_ordering:array?',
      'key_value_delimiter:string?',
      'field_delimiter:string?',
      'flatten_boolean:boolean?',
    ],
    ([v, o, kv, fd, fb]) =>
      encodeKeyValue(
        v as VObject,
        Array.isArray(o) ? o : undefined,
        optStr(kv, '='),
        optStr(fd, ' '),
        bool(fb, false),
      ),
    { fallible: true },
  ),
  fn(
    'encode_logfmt',
    ['value:object', 'fields_ordering:array?'],
    ([v, o]) => encodeKeyValue(v as VObject, Array.isArray(o) ? o : undefined, '=', ' ', false),
    { fallible: true },
  ),
  fn('parse_tokens', ['value:string'], ([v]) => tokens(v as string), { fallible: true }),
  fn('parse_query_string', ['value:string'], ([v]) => parseQuery(v as string)),
  fn(
    'parse_url',
    ['value:string', 'default_known_ports:boolean?'],
    ([v, d]) => {
      let u: URL;
      try {
        u = new URL(v as string);
      } catch {
        throw functionError(`unable to parse url: relative URL without a base`);
      }
      const scheme = u.protocol.replace(/:$/, '');
      const port =
        u.port !== '' ? Number(u.port) : bool(d, false) ? (DEFAULT_PORTS[scheme] ?? null) : null;
      return {
        scheme,
        username: decodeURIComponent(u.username),
        password: decodeURIComponent(u.password),
        host: u.hostname.replace(/^\[|\]$/g, ''),
        port,
        path: u.pathname,
        query: parseQuery(u.search),
        fragment: u.hash === '' ? null : u.hash.slice(1),
      };
    },
    { fallible: true },
  ),
  fn(
    'parse_csv',
    ['value:string', 'delimiter:string?'],
    ([v, d]) => {
      const delim = optStr(d, ',');
      if (delim.length !== 1) throw functionError('delimiter must be a single character');
      return parseCsvRow(v as string, delim);
    },
    { fallible: true },
  ),
  fn(
    'parse_duration',
    ['value:string', 'unit:string'],
    ([v, u]) => {
      const unit = DURATION_UNITS[u as string];
      if (unit === undefined) throw functionError(`unknown unit format: '${u as string}'`);
      const s = (v as string).trim();
      let total = 0;
      let matched = '';
      for (const m of s.matchAll(/(\d+(?:\.\d+)?)\s*(ns|us|µs|ms|cs|ds|s|m|h|d)/g)) {
        total += Number(m[1]) * (DURATION_UNITS[m[2] as string] as number);
        matched += m[0];
      }
      if (matched === '' || matched.replace(/\s/g, '') !== s.replace(/\s/g, ''))
        throw functionError(`unable to parse duration: '${s}'`);
      return new VFloat(Math.round((total / unit) * 1e9) / 1e9);
    },
    { fallible: true },
  ),
  fn(
    'parse_bytes',
    ['value:string', 'unit:string', 'base:string?'],
    ([v, u, b]) => {
      const m = /^\s*(\d+(?:\.\d+)?)\s*([KMGTPE]?i?B?)\s*$/i.exec(v as string);
      if (m === null) throw functionError(`unable to parse bytes: '${v as string}'`);
      const base10 = optStr(b, '2') === '10';
      const factor = (unit: string): number => {
        const p = 'BKMGTPE'.indexOf((unit[0] ?? 'B').toUpperCase());
        if (p < 0) throw functionError(`unknown unit ${unit}`);
        const binary = unit.includes('i') || !base10;
        return (binary ? 1024 : 1000) ** p;
      };
      return new VFloat(
        (Number(m[1]) * factor(m[2] === '' ? 'B' : (m[2] as string))) / factor(u as string),
      );
    },
    { fallible: true },
  ),
  fn('shannon_entropy', ['value:string', 'segmentation:string?'], ([v, seg]) => {
    const mode = optStr(seg, 'byte');
    const units: (string | number)[] =
      mode === 'byte'
        ? [...Buffer.from(v as string)]
        : mode === 'codepoint'
          ? Array.from(v as string)
          : [...new Intl.Segmenter().segment(v as string)].map((x) => x.segment);
    const counts = new Map<string | number, number>();
    for (const x of units) counts.set(x, (counts.get(x) ?? 0) + 1);
    let h = 0;
    for (const c of counts.values()) {
      const p = c / units.length;
      h -= p * Math.log2(p);
    }
    return new VFloat(h);
  }),
];
