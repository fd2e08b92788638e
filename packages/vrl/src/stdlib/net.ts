// Network and path helpers: IP addresses and CIDRs, punycode, file paths, syslog levels.
import { isIP } from 'node:net';
import { domainToASCII, domainToUnicode } from 'node:url';
import { fn, functionError, type VrlFunction } from '../function.js';
import { VFloat, type Value } from '../value.js';

function v4ToInt(ip: string): number {
  return ip.split('.').reduce((n, o) => n * 256 + Number(o), 0);
}

function intToV4(n: number): string {
  return [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join('.');
}

/** An IPv6 address as 8 16-bit groups (an embedded IPv4 tail is expanded). */
function v6Groups(ip: string): number[] {
  let s = ip;
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(s);
  if (v4) {
    const n = v4ToInt(v4[1] as string);
    s = `${s.slice(0, v4.index)}${Math.floor(n / 65536).toString(16)}:${(n % 65536).toString(16)}`;
  }
  const [head, tail] = s.split('::') as [string, string?];
  const h = head === '' ? [] : head.split(':');
  const t = tail === undefined || tail === '' ? [] : tail.split(':');
  const fill = tail === undefined ? [] : new Array<string>(8 - h.length - t.length).fill('0');
  return [...h, ...fill, ...t].map((g) => parseInt(g, 16));
}

function v6Text(groups: number[]): string {
  // The longest run of zero groups (length ≥ 2) becomes `::`.
  let best = -1;
  let bestLen = 0;
  for (let i = 0; i < 8;) {
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen && j - i >= 2) {
      best = i;
      bestLen = j - i;
    }
    i = j === i ? i + 1 : j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (best < 0) return hex.join(':');
  return `${hex.slice(0, best).join(':')}::${hex.slice(best + bestLen).join(':')}`;
}

function bits(ip: string): bigint {
  if (isIP(ip) === 4) return BigInt(v4ToInt(ip));
  return v6Groups(ip).reduce((n, g) => (n << 16n) | BigInt(g), 0n);
}

function cidrContains(cidr: string, ip: string): boolean {
  const [net, lenText] = cidr.split('/') as [string, string?];
  const fam = isIP(net);
  if (fam === 0 || lenText === undefined) throw functionError(`unable to parse CIDR: ${cidr}`);
  if (isIP(ip) !== fam) {
    if (isIP(ip) === 0)
      throw functionError('unable to parse IP address: invalid IP address syntax');
    return false;
  }
  const width = fam === 4 ? 32n : 128n;
  const len = BigInt(lenText);
  const mask = len === 0n ? 0n : ((1n << len) - 1n) << (width - len);
  return (bits(net) & mask) === (bits(ip) & mask);
}

/** Syslog severities and facilities by their numeric code (RFC 5424); shared with parse_syslog. */
export const SYSLOG_SEVERITIES = [
  'emerg',
  'alert',
  'crit',
  'err',
  'warning',
  'notice',
  'info',
  'debug',
];
export const SYSLOG_FACILITIES = [
  'kern',
  'user',
  'mail',
  'daemon',
  'auth',
  'syslog',
  'lpr',
  'news',
  'uucp',
  'cron',
  'authpriv',
  'ftp',
  'ntp',
  'security',
  'console',
  'solaris-cron',
  'local0',
  'local1',
  'local2',
  'local3',
  'local4',
  'local5',
  'local6',
  'local7',
];

function pathParts(p: string): { dir: string; base: string | null } {
  const trimmed = p.length > 1 ? p.replace(/\/+$/, '') : p;
  const i = trimmed.lastIndexOf('/');
  if (trimmed === '/' || trimmed === '') return { dir: trimmed === '/' ? '/' : '.', base: null };
  if (i < 0) return { dir: '.', base: trimmed };
  return { dir: i === 0 ? '/' : trimmed.slice(0, i), base: trimmed.slice(i + 1) };
}

const haversineKm = (a1: number, o1: number, a2: number, o2: number): number => {
  const r = (d: number): number => (d * Math.PI) / 180;
  const h =
    Math.sin(r(a2 - a1) / 2) ** 2 +
    Math.cos(r(a1)) * Math.cos(r(a2)) * Math.sin(r(o2 - o1) / 2) ** 2;
  return 2 * 6371.0088 * Math.asin(Math.sqrt(h));
};

const num = (v: Value | undefined): number => (v instanceof VFloat ? v.n : (v as number));

export const netFunctions: VrlFunction[] = [
  fn('is_ipv4', ['value:string'], ([v]) => isIP(v as string) === 4),
  fn('is_ipv6', ['value:string'], ([v]) => isIP(v as string) === 6),
  fn(
    'ip_cidr_contains',
    ['cidr:string|array', 'value:string'],
    ([c, v]) => {
      const cidrs = Array.isArray(c) ? c : [c];
      return cidrs.some((x) => cidrContains(x as string, v as string));
    },
    { fallible: true },
  ),
  fn(
    'ip_aton',
    ['value:string'],
    ([v]) => {
      if (isIP(v as string) !== 4) throw functionError('unable to parse IPv4 address');
      return v4ToInt(v as string);
    },
    { fallible: true },
  ),
  fn(
    'ip_ntoa',
    ['value:integer'],
    ([v]) => {
      if ((v as number) < 0 || (v as number) > 0xffffffff)
        throw functionError('cannot convert to bytes: integer does not fit in u32');
      return intToV4(v as number);
    },
    { fallible: true },
  ),
  fn(
    'ip_subnet',
    ['value:string', 'subnet:string'],
    ([v, s]) => {
      const ip = v as string;
      const fam = isIP(ip);
      if (fam === 0) throw functionError('unable to parse IP address');
      const width = fam === 4 ? 32n : 128n;
      const sub = s as string;
      const len = sub.startsWith('/')
        ? BigInt(sub.slice(1))
        : BigInt(bits(sub).toString(2).replace(/0+$/, '').length);
      const mask = len === 0n ? 0n : ((1n << len) - 1n) << (width - len);
      const n = bits(ip) & mask;
      if (fam === 4) return intToV4(Number(n));
      return v6Text(
        Array.from({ length: 8 }, (_, i) => Number((n >> BigInt(112 - 16 * i)) & 0xffffn)),
      );
    },
    { fallible: true },
  ),
  fn(
    'ip_to_ipv6',
    ['value:string'],
    ([v]) => {
      const fam = isIP(v as string);
      if (fam === 0) throw functionError('unable to parse IP address');
      return fam === 6 ? (v as string) : `::ffff:${v as string}`;
    },
    { fallible: true },
  ),
  fn(
    'ipv6_to_ipv4',
    ['value:string'],
    ([v]) => {
      const fam = isIP(v as string);
      if (fam === 4) return v as string;
      if (fam === 0) throw functionError('unable to parse IP address');
      const g = v6Groups(v as string);
      if (!(g.slice(0, 5).every((x) => x === 0) && (g[5] === 0xffff || g[5] === 0)))
        throw functionError('IPV6 address is not compatible with IPV4');
      return intToV4((g[6] as number) * 65536 + (g[7] as number));
    },
    { fallible: true },
  ),
  fn(
    'encode_punycode',
    ['value:string', 'validate:boolean?'],
    ([v]) => {
      const out = domainToASCII(v as string);
      if (out === '' && (v as string) !== '') throw functionError('unable to punyencode');
      return out;
    },
    { fallible: true },
  ),
  fn(
    'decode_punycode',
    ['value:string', 'validate:boolean?'],
    ([v]) => {
      const out = domainToUnicode(v as string);
      if (out === '' && (v as string) !== '') throw functionError('unable to punydecode');
      return out;
    },
    { fallible: true },
  ),
  fn('dirname', ['value:string'], ([v]) => pathParts(v as string).dir),
  fn('basename', ['value:string'], ([v]) => pathParts(v as string).base),
  fn('split_path', ['value:string'], ([v]) => {
    const s = v as string;
    const parts = s.split('/').filter((p) => p !== '');
    return s.startsWith('/') ? ['/', ...parts] : parts;
  }),
  fn(
    'to_syslog_level',
    ['value:integer'],
    ([v]) => {
      const s = SYSLOG_SEVERITIES[v as number];
      if (s === undefined) throw functionError(`severity level ${v as number} not valid`);
      return s;
    },
    { fallible: true },
  ),
  fn(
    'to_syslog_severity',
    ['value:string'],
    ([v]) => {
      const alias: Record<string, string> = {
        emergency: 'emerg',
        critical: 'crit',
        error: 'err',
        warn: 'warning',
        informational: 'info',
        panic: 'emerg',
      };
      const i = SYSLOG_SEVERITIES.indexOf(alias[v as string] ?? (v as string));
      if (i < 0) throw functionError(`syslog level ${v as string} not valid`);
      return i;
    },
    { fallible: true },
  ),
  fn(
    'to_syslog_facility',
    ['value:integer'],
    ([v]) => {
      const s = SYSLOG_FACILITIES[v as number];
      if (s === undefined) throw functionError(`facility code ${v as number} not valid`);
      return s;
    },
    { fallible: true },
  ),
  fn(
    'to_syslog_facility_code',
    ['value:string'],
    ([v]) => {
      const i = SYSLOG_FACILITIES.indexOf(v as string);
      if (i < 0) throw functionError(`syslog facility '${v as string}' not valid`);
      return i;
    },
    { fallible: true },
  ),
  fn(
    'haversine',
    [
      'latitude1:integer|float',
      'longitude1:integer|float',
      'latitude2:integer|float',
      'longitude2:integer|float',
      'measurement_unit:string?',
    ],
    ([a, b, c, d, u]) => {
      const km = haversineKm(num(a), num(b), num(c), num(d));
      const distance = u === 'miles' ? km * 0.6213712 : km; // VRL's km → mile factor
      const r = (x: number): number => Math.round(x * 1e7) / 1e7;
      const rad = (x: number): number => (x * Math.PI) / 180;
      const y = Math.sin(rad(num(d) - num(b))) * Math.cos(rad(num(c)));
      const x =
        Math.cos(rad(num(a))) * Math.sin(rad(num(c))) -
        Math.sin(rad(num(a))) * Math.cos(rad(num(c))) * Math.cos(rad(num(d) - num(b)));
      const bearing = ((Math.atan2(y, x) * 180) / Math.PI + 360) % 360;
      return {
        distance: new VFloat(r(distance)),
        bearing: new VFloat(Math.round(bearing * 1e3) / 1e3),
      };
    },
  ),
];

/** `replace_with(value, pattern, count) -> |match| { … }`: each match replaced by the closure. */
export const replaceWith: VrlFunction = fn(
  'replace_with',
  ['value:string', 'pattern:regex', 'count:integer?'],
  ([v, p, c], env) => {
    const f = env.closure;
    if (f === undefined) throw functionError('missing closure');
    const re = (p as { re: RegExp }).re;
    const all = new RegExp(re.source, re.flags.includes('g') ? re.flags : `${re.flags}g`);
    const limit = typeof c === 'number' && c >= 0 ? c : Infinity;
    for (const name of Object.keys(
      new RegExp(`${re.source}|`, re.flags.replace('g', '')).exec('')?.groups ?? {},
    )) {
      if (name === 'string' || name === 'captures') {
        throw functionError('Capture group cannot be named "string" or "captures"');
      }
    }
    let n = 0;
    return (v as string).replace(all, (...m: unknown[]) => {
      if (n >= limit) return m[0] as string;
      n++;
      const groups = (typeof m[m.length - 1] === 'object' ? m[m.length - 1] : undefined) as
        Record<string, string | undefined> | undefined;
      const count = m.length - (groups !== undefined ? 3 : 2);
      const captures: Value[] = [];
      for (let i = 1; i < count; i++) captures.push((m[i] as string | undefined) ?? null);
      const match: Record<string, Value> = { string: m[0] as string, captures };
      for (const [k, g] of Object.entries(groups ?? {}))
        if (k !== 'string' && k !== 'captures') match[k] = g ?? null;
      const out = f(match);
      if (typeof out !== 'string') throw functionError(`expected string, got ${typeof out}`);
      return out;
    });
  },
  { closure: 1 },
);
