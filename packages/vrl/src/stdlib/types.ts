// Type predicates, type assertions (`string!(x)`) and coercions (`to_int`, `to_bool`, …).
import { fn, functionError, type VrlFunction } from '../function.js';
import { makeRegex } from '../regex.js';
import { parseRfc3339 } from '../time.js';
import {
  displayValue,
  formatFloat,
  isInt,
  isObject,
  kindOf,
  VFloat,
  VRegex,
  VTimestamp,
  type Kind,
  type Value,
} from '../value.js';

const is = (name: string, kind: Kind): VrlFunction =>
  fn(name, ['value'], ([v]) => kindOf(v ?? null) === kind);

const assertType = (name: string, kind: Kind): VrlFunction =>
  fn(
    name,
    ['value'],
    ([v]) => {
      const k = kindOf(v ?? null);
      if (k !== kind) throw functionError(`expected ${kind}, got ${k}`);
      return v ?? null;
    },
    { fallible: true },
  );

export function toStringValue(v: Value): string {
  if (typeof v === 'string') return v;
  if (v === null) return '';
  if (v instanceof VFloat) return formatFloat(v.n);
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : formatFloat(v);
  if (typeof v === 'boolean') return String(v);
  if (v instanceof VTimestamp) return v.toRfc3339();
  if (v instanceof VRegex || Array.isArray(v) || isObject(v)) {
    throw functionError(`unable to coerce ${kindOf(v)} into string`);
  }
  return displayValue(v);
}

export function toInt(v: Value): number {
  if (typeof v === 'number') return Math.trunc(v);
  if (v instanceof VFloat) return Math.trunc(v.n);
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (v === null) return 0;
  if (v instanceof VTimestamp) return v.secs;
  if (typeof v === 'string') {
    const t = v.trim();
    if (/^[-+]?\d+$/.test(t)) return Number(t);
    throw functionError(`Invalid integer "${v}": invalid digit found in string`);
  }
  throw functionError(`unable to coerce ${kindOf(v)} into integer`);
}

export function toFloat(v: Value): number {
  if (typeof v === 'number') return v;
  if (v instanceof VFloat) return v.n;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (v === null) return 0;
  if (v instanceof VTimestamp) return v.secs + v.nanos / 1e9;
  if (typeof v === 'string') {
    const t = v.trim();
    if (/^[-+]?(\d+\.?\d*([eE][-+]?\d+)?|\.\d+([eE][-+]?\d+)?|inf|infinity|nan)$/i.test(t)) {
      const l = t.toLowerCase().replace(/^[-+]/, '');
      if (l.startsWith('inf')) return t.startsWith('-') ? -Infinity : Infinity;
      if (l === 'nan') return NaN;
      return Number(t);
    }
    throw functionError(`Invalid floating point number "${v}": invalid float literal`);
  }
  throw functionError(`unable to coerce ${kindOf(v)} into float`);
}

export function toBool(v: Value): boolean {
  if (typeof v === 'boolean') return v;
  if (typeof v === 'number') return v !== 0;
  if (v instanceof VFloat) return v.n !== 0;
  if (v === null) return false;
  if (typeof v === 'string') {
    const t = v.toLowerCase();
    if (['true', 't', 'yes', 'y', 'on', '1'].includes(t)) return true;
    if (['false', 'f', 'no', 'n', 'off', '0'].includes(t)) return false;
    throw functionError(`Invalid boolean value "${v}"`);
  }
  throw functionError(`unable to coerce ${kindOf(v)} into boolean`);
}

export function isEmptyValue(v: Value): boolean {
  if (typeof v === 'string') return v.length === 0;
  if (Array.isArray(v)) return v.length === 0;
  if (isObject(v)) return Object.keys(v).length === 0;
  throw functionError(`expected string, array or object, got ${kindOf(v)}`);
}

export const typeFunctions: VrlFunction[] = [
  is('is_string', 'string'),
  is('is_integer', 'integer'),
  is('is_float', 'float'),
  is('is_boolean', 'boolean'),
  is('is_null', 'null'),
  is('is_array', 'array'),
  is('is_object', 'object'),
  is('is_regex', 'regex'),
  is('is_timestamp', 'timestamp'),
  assertType('string', 'string'),
  assertType('int', 'integer'),
  assertType('float', 'float'),
  assertType('bool', 'boolean'),
  assertType('array', 'array'),
  assertType('object', 'object'),
  assertType('timestamp', 'timestamp'),
  fn('is_nullish', ['value'], ([v]) => {
    if (v === null) return true;
    if (typeof v === 'string') return v.trim() === '' || v === '-';
    return false;
  }),
  fn('is_empty', ['value:string|array|object'], ([v]) => isEmptyValue(v ?? null)),
  fn('is_json', ['value:string', 'variant:string?'], ([v, variant]) => {
    let parsed: unknown;
    try {
      parsed = JSON.parse(v as string);
    } catch {
      return false;
    }
    if (variant === undefined || variant === null) return true;
    const k = parsed === null ? 'null' : Array.isArray(parsed) ? 'array' : typeof parsed;
    const want: Record<string, string> = {
      object: 'object',
      array: 'array',
      bool: 'boolean',
      number: 'number',
      string: 'string',
      null: 'null',
    };
    if (!((variant as string) in want)) throw functionError(`invalid variant`);
    return want[variant as string] === k;
  }),
  fn('to_string', ['value'], ([v]) => toStringValue(v ?? null), { fallible: true }),
  fn('to_int', ['value'], ([v]) => toInt(v ?? null), { fallible: true }),
  fn('to_float', ['value'], ([v]) => new VFloat(toFloat(v ?? null)), { fallible: true }),
  fn('to_bool', ['value'], ([v]) => toBool(v ?? null), { fallible: true }),
  fn(
    'to_regex',
    ['value:string'],
    ([v]) => {
      try {
        return makeRegex(v as string);
      } catch (e) {
        throw functionError(`could not create regex: ${(e as Error).message}`);
      }
    },
    { fallible: true },
  ),
  fn(
    'to_timestamp',
    ['value', 'unit:string?'],
    ([v]) => {
      if (v instanceof VTimestamp) return v;
      if (typeof v === 'string') {
        const t = parseRfc3339(v);
        if (t) return t;
      }
      if (isInt(v)) return new VTimestamp(v, 0);
      if (typeof v === 'number') return VTimestamp.fromMillis(v * 1000);
      if (v instanceof VFloat) return VTimestamp.fromMillis(v.n * 1000);
      throw functionError(`unable to coerce ${kindOf(v ?? null)} into timestamp`);
    },
    { fallible: true },
  ),
];
