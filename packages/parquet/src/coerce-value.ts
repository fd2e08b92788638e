import type { RecordValue } from './column-spec.js';

/*
 * Values normally arrive already cast to the column type by packages/schema. These functions
 * are the builder's last line: they convert what converts losslessly enough and answer
 * `undefined` (stored as null) for what does not, so one odd value never corrupts a column.
 */

const TWO_POW_63 = 2 ** 63;
const TWO_POW_64 = 2 ** 64;
const INTEGER_TEXT = /^[+-]?\d+$/;

/** An integer in [-2^63, 2^63) as number or bigint, or undefined. */
export function toInt64(value: RecordValue): number | bigint | undefined {
  switch (typeof value) {
    case 'number': {
      if (!Number.isFinite(value)) return undefined;
      const int = Math.trunc(value);
      return int >= -TWO_POW_63 && int < TWO_POW_63 ? int : undefined;
    }
    case 'bigint':
      return value >= -(2n ** 63n) && value < 2n ** 63n ? value : undefined;
    case 'boolean':
      return value ? 1 : 0;
    case 'string':
      return parseInteger(value, toInt64);
    case 'undefined':
    case 'object':
    case 'function':
    case 'symbol':
      return undefined;
  }
}

/** An integer in [0, 2^64) as number or bigint, or undefined. */
export function toUInt64(value: RecordValue): number | bigint | undefined {
  switch (typeof value) {
    case 'number': {
      if (!Number.isFinite(value)) return undefined;
      const int = Math.trunc(value);
      return int >= 0 && int < TWO_POW_64 ? int : undefined;
    }
    case 'bigint':
      return value >= 0n && value < 2n ** 64n ? value : undefined;
    case 'boolean':
      return value ? 1 : 0;
    case 'string':
      return parseInteger(value, toUInt64);
    case 'undefined':
    case 'object':
    case 'function':
    case 'symbol':
      return undefined;
  }
}

function parseInteger(
  text: string,
  again: (value: RecordValue) => number | bigint | undefined,
): number | bigint | undefined {
  const trimmed = text.trim();
  if (INTEGER_TEXT.test(trimmed)) {
    // Digits beyond 2^53 would round as a number; BigInt keeps them exact.
    return again(trimmed.length > 15 ? BigInt(trimmed) : Number(trimmed));
  }
  const number = trimmed === '' ? NaN : Number(trimmed);
  return Number.isFinite(number) ? again(number) : undefined;
}

export function toFloat64(value: RecordValue): number | undefined {
  switch (typeof value) {
    case 'number':
      return value;
    case 'bigint':
      return Number(value);
    case 'boolean':
      return value ? 1 : 0;
    case 'string': {
      const trimmed = value.trim();
      if (trimmed === '') return undefined;
      const number = Number(trimmed);
      return Number.isNaN(number) && trimmed !== 'NaN' ? undefined : number;
    }
    case 'undefined':
    case 'object':
    case 'function':
    case 'symbol':
      return undefined;
  }
}

export function toBoolean(value: RecordValue): boolean | undefined {
  switch (typeof value) {
    case 'boolean':
      return value;
    case 'number':
      return Number.isNaN(value) ? undefined : value !== 0;
    case 'bigint':
      return value !== 0n;
    case 'string': {
      const lower = value.trim().toLowerCase();
      if (lower === 'true') return true;
      if (lower === 'false') return false;
      return undefined;
    }
    case 'undefined':
    case 'object':
    case 'function':
    case 'symbol':
      return undefined;
  }
}

export function toUtf8(value: RecordValue): string | undefined {
  switch (typeof value) {
    case 'string':
      return value;
    case 'number':
    case 'bigint':
    case 'boolean':
      return String(value);
    case 'undefined':
    case 'object':
    case 'function':
    case 'symbol':
      return undefined;
  }
}
