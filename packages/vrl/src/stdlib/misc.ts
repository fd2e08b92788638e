// Assertions, secrets, randomness, system facts, numbers and timestamps.
import { randomBytes, randomInt, randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { fn, functionError, int, optInt, optStr, type VrlFunction } from '../function.js';
import { strftime, isValidZone } from '../time.js';
import { displayValue, isInt, valueEquals, VFloat, VTimestamp, type Value } from '../value.js';
import { fromBytes } from '../bytes.js';
import { wrapInt } from '../ops.js';
import { parseTimestampText } from './strptime.js';

const num = (v: Value | undefined): number => (typeof v === 'number' ? v : (v as VFloat).n);
const sameKind = (v: Value | undefined, n: number): Value => (isInt(v) ? n : new VFloat(n));

function rounding(name: string, op: (x: number) => number): VrlFunction {
  return fn(name, ['value:integer|float', 'precision:integer?'], ([v, p]) => {
    if (isInt(v)) return v;
    const prec = optInt(p, 0);
    const f = 10 ** prec;
    const r = op(num(v) * f) / f;
    return prec === 0 ? r : new VFloat(r);
  });
}

/** Rust rounds half away from zero; JS's Math.round rounds half up. */
const roundHalfAway = (x: number): number => Math.sign(x) * Math.round(Math.abs(x));

function uuidV7(ms: number): string {
  const b = randomBytes(16);
  b.writeUIntBE(ms, 0, 6);
  b[6] = ((b[6] as number) & 0x0f) | 0x70;
  b[8] = ((b[8] as number) & 0x3f) | 0x80;
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

const UNITS: Record<string, bigint> = {
  seconds: 1_000_000_000n,
  milliseconds: 1_000_000n,
  microseconds: 1_000n,
  nanoseconds: 1n,
};

export const miscFunctions: VrlFunction[] = [
  fn(
    'assert',
    ['condition:boolean', 'message:string?'],
    ([c, m]) => {
      if (c !== true) throw functionError(typeof m === 'string' ? m : 'assertion failed');
      return true;
    },
    { fallible: true },
  ),
  fn(
    'assert_eq',
    ['left', 'right', 'message:string?'],
    ([l, r, m]) => {
      if (valueEquals(l ?? null, r ?? null)) return true;
      const show = (v: Value): string =>
        typeof v === 'string'
          ? JSON.stringify(v)
          : displayValue(v).replace(/,/g, ', ').replace(/:/g, ': ');
      throw functionError(
        typeof m === 'string' ? m : `assertion failed: ${show(l ?? null)} == ${show(r ?? null)}`,
      );
    },
    { fallible: true },
  ),
  fn('log', ['value', 'level:string?', 'rate_limit_secs:integer?'], () => null),
  fn('get_secret', ['key:string'], ([k], env) => env.secrets[k as string] ?? null),
  fn('set_secret', ['key:string', 'secret:string'], ([k, s], env) => {
    env.secrets[k as string] = s as string;
    return null;
  }),
  fn('remove_secret', ['key:string'], ([k], env) => {
    delete env.secrets[k as string];
    return null;
  }),
  fn('get_hostname', [], () => hostname(), { fallible: true }),
  fn('get_timezone_name', [], () => Intl.DateTimeFormat().resolvedOptions().timeZone, {
    fallible: true,
  }),
  fn('uuid_v4', [], () => randomUUID()),
  // VRL passes the timestamp's total nanoseconds truncated to 32 bits as the sub-second part,
  // so the encoded milliseconds run up to 4.3 s ahead; the same ids are produced here.
  fn('uuid_v7', ['timestamp:timestamp?'], ([t]) =>
    uuidV7(
      t instanceof VTimestamp
        ? t.secs * 1000 + Math.floor(Number(BigInt.asUintN(32, t.totalNanos)) / 1e6)
        : Date.now(),
    ),
  ),
  fn('random_bool', [], () => Math.random() < 0.5),
  fn(
    'random_int',
    ['min:integer', 'max:integer'],
    ([a, b]) => {
      if ((a as number) >= (b as number)) throw functionError('max must be greater than min');
      return randomInt(a as number, b as number);
    },
    { fallible: true },
  ),
  fn(
    'random_float',
    ['min:integer|float', 'max:integer|float'],
    ([a, b]) => {
      if (num(a) >= num(b)) throw functionError('max must be greater than min');
      return new VFloat(num(a) + Math.random() * (num(b) - num(a)));
    },
    { fallible: true },
  ),
  fn(
    'random_bytes',
    ['length:integer'],
    ([n]) => {
      if ((n as number) < 0 || (n as number) > 65536)
        throw functionError('Length is too large. Maximum is 64k');
      return fromBytes(randomBytes(n as number));
    },
    { fallible: true },
  ),
  fn('now', [], () => VTimestamp.fromNanos(BigInt(Date.now()) * 1_000_000n)),
  fn('abs', ['value:integer|float'], ([v]) => sameKind(v, Math.abs(num(v)))),
  rounding('ceil', Math.ceil),
  rounding('floor', Math.floor),
  rounding('round', roundHalfAway),
  fn(
    'mod',
    ['value:integer|float', 'modulus:integer|float'],
    ([v, m]) => {
      if (num(m) === 0) throw functionError("can't calculate remainder of zero");
      const r = num(v) % num(m);
      return isInt(v) && isInt(m) ? wrapInt(r, v, m, (x, y) => x % y) : new VFloat(r);
    },
    { fallible: true },
  ),
  fn(
    'parse_int',
    ['value:string', 'base:integer?'],
    ([v, b]) => {
      let s = (v as string).trim();
      let base = optInt(b, 0);
      const neg = s.startsWith('-');
      if (neg || s.startsWith('+')) s = s.slice(1);
      if (base === 0) {
        const pre: Record<string, number> = { '0b': 2, '0o': 8, '0x': 16 };
        base = pre[s.slice(0, 2)] ?? 10;
        if (base !== 10) s = s.slice(2);
        else if (s.length > 1 && s.startsWith('0')) {
          base = 8;
          s = s.slice(1);
        }
      }
      if (base < 2 || base > 36) throw functionError('invalid base');
      const digits = '0123456789abcdefghijklmnopqrstuvwxyz'.slice(0, base);
      if (s === '' || ![...s.toLowerCase()].every((c) => digits.includes(c))) {
        throw functionError(`could not parse integer: invalid digit found in string`);
      }
      const n = parseInt(s, base);
      return neg ? -n : n;
    },
    { fallible: true },
  ),
  fn(
    'parse_float',
    ['value:string'],
    ([v]) => {
      const s = (v as string).trim();
      if (!/^[-+]?(\d+\.?\d*([eE][-+]?\d+)?|\.\d+|inf|infinity|NaN)$/i.test(s)) {
        throw functionError('could not parse float: invalid float literal');
      }
      return new VFloat(Number(s));
    },
    { fallible: true },
  ),
  fn(
    'format_timestamp',
    ['value:timestamp', 'format:string', 'timezone:string?'],
    ([t, f, tz]) => {
      try {
        return strftime(t as VTimestamp, f as string, typeof tz === 'string' ? tz : undefined);
      } catch (e) {
        throw functionError((e as Error).message);
      }
    },
    { fallible: true },
  ),
  fn(
    'parse_timestamp',
    ['value:string|timestamp', 'format:string', 'timezone:string?'],
    ([v, f, tz]) => {
      if (v instanceof VTimestamp) return v;
      if (typeof tz === 'string' && !isValidZone(tz))
        throw functionError(`unable to parse timezone ${tz}`);
      return parseTimestampText(v as string, f as string, typeof tz === 'string' ? tz : undefined);
    },
    { fallible: true },
  ),
  fn('to_unix_timestamp', ['value:timestamp', 'unit:string?'], ([t, u]) => {
    const unit = UNITS[optStr(u, 'seconds')];
    if (unit === undefined) throw functionError('invalid unit');
    const ns = (t as VTimestamp).totalNanos;
    return Number(ns >= 0n ? ns / unit : -((-ns + unit - 1n) / unit));
  }),
  fn(
    'from_unix_timestamp',
    ['value:integer', 'unit:string?'],
    ([v, u]) => {
      const unit = UNITS[optStr(u, 'seconds')];
      if (unit === undefined) throw functionError('invalid unit');
      return VTimestamp.fromNanos(BigInt(int(v)) * unit);
    },
    { fallible: true },
  ),
];
