// Log-format parsers (common/apache log, syslog), YAML, redaction and type tagging.
import { createHash } from 'node:crypto';
import { parse as parseYamlText } from 'yaml';
import { fn, functionError, optStr, withArgCheck, type VrlFunction } from '../function.js';
import { parseRfc3339 } from '../time.js';
import { SYSLOG_FACILITIES, SYSLOG_SEVERITIES } from './net.js';
import {
  fromJson,
  isObject,
  kindOf,
  newObject,
  setField,
  VRegex,
  type Value,
  type VObject,
} from '../value.js';
import { parseTimestampText } from './strptime.js';

const CLF =
  /^(\S+) (\S+) (\S+) \[([^\]]+)\] "(\S+) (\S+) (\S+)" (\d{3}) (\d+|-)(?: "([^"]*)" "([^"]*)")?\s*$/;

function commonLog(line: string, format: string, combined: boolean): VObject {
  const m = CLF.exec(line);
  if (m === null || (combined && m[10] === undefined))
    throw functionError('failed parsing common log line');
  const ts = parseTimestampText(m[4] as string, format);
  const out = newObject();
  const put = (k: string, v: Value): void => {
    if (v !== '-' && v !== null) setField(out, k, v);
  };
  put('host', m[1] as string);
  put('identity', m[2] as string);
  put('user', m[3] as string);
  out['timestamp'] = ts;
  put('message', `${m[5]} ${m[6]} ${m[7]}`);
  put('method', m[5] as string);
  put('path', m[6] as string);
  put('protocol', m[7] as string);
  out['status'] = Number(m[8]);
  if (m[9] !== '-') out['size'] = Number(m[9]);
  if (combined) {
    put('referrer', m[10] ?? null);
    put('agent', m[11] ?? null);
  }
  return out;
}

const SYSLOG5424 = /^<(\d{1,3})>(\d) (\S+) (\S+) (\S+) (\S+) (\S+) (-|(?:\[[^\]]*\])+) ?(.*)$/s;
const SYSLOG3164 =
  /^<(\d{1,3})>(\w{3} +\d{1,2} \d{2}:\d{2}:\d{2}) (\S+) ([^:[\s]+)(?:\[(\d+)\])?: ?(.*)$/s;

function syslog(line: string): VObject {
  const out = newObject();
  const pri = (p: string): void => {
    const n = Number(p);
    out['severity'] = SYSLOG_SEVERITIES[n % 8] ?? null;
    out['facility'] = SYSLOG_FACILITIES[Math.floor(n / 8)] ?? null;
  };
  const m = SYSLOG5424.exec(line);
  if (m !== null) {
    pri(m[1] as string);
    out['version'] = Number(m[2]);
    const ts = parseRfc3339(m[3] as string);
    if (ts) out['timestamp'] = ts;
    const opt = (k: string, v: string | undefined): void => {
      if (v !== undefined && v !== '-') out[k] = k === 'procid' && /^\d+$/.test(v) ? Number(v) : v;
    };
    opt('hostname', m[4]);
    opt('appname', m[5]);
    opt('procid', m[6]);
    opt('msgid', m[7]);
    for (const sd of (m[8] as string).matchAll(/\[(\S+)((?: +\S+? *= *"(?:[^"\\]|\\.)*")*) *\]/g)) {
      const params = newObject();
      for (const p of (sd[2] as string).matchAll(/(\S+?) *= *"((?:[^"\\]|\\.)*)"/g))
        setField(params, p[1] as string, p[2] as string);
      setField(out, sd[1] as string, params);
    }
    out['message'] = m[9] as string;
    return out;
  }
  const b = SYSLOG3164.exec(line);
  if (b === null) throw functionError('unable to parse input as valid syslog message');
  pri(b[1] as string);
  const year = new Date().getUTCFullYear();
  out['timestamp'] = parseTimestampText(
    `${year} ${(b[2] as string).replace(/ +/g, ' ')}`,
    '%Y %b %e %H:%M:%S',
  );
  out['hostname'] = b[3] as string;
  out['appname'] = b[4] as string;
  if (b[5] !== undefined) out['procid'] = Number(b[5]);
  out['message'] = b[6] as string;
  return out;
}

const PATTERNS: Record<string, RegExp> = {
  us_social_security_number: /\b\d{3}-\d{2}-\d{4}\b/g,
};

function redactor(r: Value | undefined): (s: string) => string {
  const spec = isObject(r ?? null) ? (r as VObject) : { type: r ?? 'full' };
  const type = spec['type'];
  if (type === 'full' || type === undefined || type === null) return () => '[REDACTED]';
  if (type === 'text')
    return () => (typeof spec['replacement'] === 'string' ? spec['replacement'] : '[REDACTED]');
  if (type === 'sha2' || type === 'sha3') {
    const variant =
      typeof spec['variant'] === 'string'
        ? spec['variant']
        : type === 'sha2'
          ? 'SHA-512/256'
          : 'SHA3-512';
    const alg = variant
      .toLowerCase()
      .replace('sha-512/', 'sha512-')
      .replace('sha-', 'sha')
      .replace('sha3-', 'sha3-');
    const enc = spec['encoding'] === 'base16' ? 'hex' : 'base64';
    return (s) => createHash(alg).update(s).digest(enc);
  }
  throw functionError(`unknown redactor type ${kindOf(type ?? null)}`);
}

function redactValue(v: Value, filters: RegExp[], replace: (s: string) => string): Value {
  if (typeof v === 'string') return filters.reduce((s, re) => s.replace(re, (m) => replace(m)), v);
  if (Array.isArray(v)) return v.map((x) => redactValue(x, filters, replace));
  if (isObject(v)) {
    const out = newObject();
    for (const k of Object.keys(v)) setField(out, k, redactValue(v[k] as Value, filters, replace));
    return out;
  }
  return v;
}

function tagTypes(v: Value): Value {
  if (v === null) return null;
  if (Array.isArray(v)) return v.map(tagTypes);
  if (isObject(v)) {
    const out = newObject();
    for (const k of Object.keys(v)) setField(out, k, tagTypes(v[k] as Value));
    return out;
  }
  const k = kindOf(v);
  return { [k]: v };
}

export const logFunctions: VrlFunction[] = [
  fn(
    'parse_common_log',
    ['value:string', 'timestamp_format:string?'],
    ([v, f]) => commonLog(v as string, optStr(f, '%d/%b/%Y:%T %z'), false),
    { fallible: true },
  ),
  fn(
    'parse_apache_log',
    ['value:string', 'format:string', 'timestamp_format:string?'],
    ([v, format, f]) => {
      if (format === 'error') throw functionError('failed parsing error log line');
      return commonLog(v as string, optStr(f, '%d/%b/%Y:%T %z'), format === 'combined');
    },
    { fallible: true },
  ),
  fn('parse_syslog', ['value:string'], ([v]) => syslog(v as string), { fallible: true }),
  fn(
    'parse_yaml',
    ['value:string'],
    ([v]) => {
      try {
        return fromJson(parseYamlText(v as string) as unknown);
      } catch (e) {
        throw functionError(`unable to parse yaml: ${(e as Error).message}`);
      }
    },
    { fallible: true },
  ),
  withArgCheck(
    fn('redact', ['value:string|object|array', 'filters:array', 'redactor?'], ([v, filters, r]) => {
      const res = (filters as Value[]).map((f) => {
        if (f instanceof VRegex)
          return new RegExp(f.re.source, f.re.flags.includes('g') ? f.re.flags : `${f.re.flags}g`);
        const name = typeof f === 'string' ? f : isObject(f) ? f['type'] : undefined;
        const p = typeof name === 'string' ? PATTERNS[name] : undefined;
        if (p === undefined) throw functionError('invalid filter');
        return p;
      });
      return redactValue(v ?? null, res, redactor(r));
    }),
    ([, filters]) => {
      // Filters must be constant: regexes, known pattern names or `{ "type": name }`.
      if (!Array.isArray(filters)) return 'filters must be a constant array';
      const known = (f: Value): boolean =>
        f instanceof VRegex ||
        (typeof f === 'string' && f in PATTERNS) ||
        (isObject(f) && typeof f['type'] === 'string' && f['type'] in PATTERNS);
      return filters.every(known) ? undefined : 'unknown or non-constant filter';
    },
  ),
  fn('tag_types_externally', ['value'], ([v]) => tagTypes(v ?? null)),
];
