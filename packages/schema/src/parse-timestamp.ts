import { isDecimalText, isIntegerText } from './number-text.js';
import { parseIsoDateTime } from './parse-iso-date-time.js';
import { parseRfc2822 } from './parse-rfc2822.js';

export const TIMESTAMP_PARSE_ERROR = "Can't parse timestamp";

export type TimestampResult = { ok: true; micros: number } | { ok: false; error: string };

/** 1971-01-01T00:00:00Z in s, ms, µs and ns: the thresholds O2 guesses a number's unit by. */
const BASE_SECONDS = 31_536_000;
const BASE_MS = BASE_SECONDS * 1e3;
const BASE_US = BASE_SECONDS * 1e6;
const BASE_NS = BASE_SECONDS * 1e9;
const BASE_NS_BIG = BigInt(BASE_SECONDS) * 1_000_000_000n;
const BASE_US_BIG = BigInt(BASE_US);
const BASE_MS_BIG = BigInt(BASE_MS);

const FAILED: TimestampResult = Object.freeze({ ok: false, error: TIMESTAMP_PARSE_ERROR });

/**
 * A `_timestamp` value → µs since the epoch (O2's `parse_timestamp_micro_from_value`).
 *
 * - undefined / null → `nowMicros`;
 * - numbers and numeric strings: floats truncated, 0 → now, then the unit is guessed against
 *   1971-01-01 (above it in ns → ÷1000, in µs → as is, in ms → ×1000, else seconds → ×10^6);
 * - `YYYY-MM-DD HH:MM:SS`, `YYYY-MM-DDTHH:MM:SS` with an optional 1–9 digit fraction (naive
 *   means UTC), RFC 3339 with `Z` or an offset, RFC 2822;
 * - anything else → "Can't parse timestamp".
 */
export function parseTimestamp(value: unknown, nowMicros: number): TimestampResult {
  switch (typeof value) {
    case 'number':
      if (!Number.isFinite(value)) return FAILED;
      return { ok: true, micros: scaleNumber(Math.trunc(value), nowMicros) };
    case 'bigint':
      return { ok: true, micros: scaleBigInt(value, nowMicros) };
    case 'string':
      return parseTimestampText(value, nowMicros);
    case 'undefined':
      return { ok: true, micros: nowMicros };
    case 'object':
      return value === null ? { ok: true, micros: nowMicros } : FAILED;
    case 'boolean':
    case 'symbol':
    case 'function':
      return FAILED;
  }
}

/**
 * `parseTimestamp` of a finite number without the result object: the metric sample path calls
 * it once per sample.
 */
export function numberTimestampMicros(value: number, nowMicros: number): number {
  return scaleNumber(Math.trunc(value), nowMicros);
}

function parseTimestampText(s: string, nowMicros: number): TimestampResult {
  if (isIntegerText(s)) {
    // Past 15 digits a double may round: ns strings are divided exactly as bigints.
    const digits = s.length - (s.charCodeAt(0) === 45 || s.charCodeAt(0) === 43 ? 1 : 0);
    const micros =
      digits <= 15 ? scaleNumber(Number(s), nowMicros) : scaleBigInt(BigInt(s), nowMicros);
    return { ok: true, micros };
  }
  if (isDecimalText(s)) {
    return { ok: true, micros: scaleNumber(Math.trunc(Number(s)), nowMicros) };
  }
  const text = stripQuotes(s);
  // ISO forms always have '-' at 4; RFC 2822 never does (its day is 1–2 digits then a space).
  const micros =
    text.length >= 19 && text.charCodeAt(4) === 45 ? parseIsoDateTime(text) : parseRfc2822(text);
  return micros === undefined ? FAILED : { ok: true, micros };
}

/** O2 trims surrounding double quotes (`"\"2021-01-01T00:00:00Z\""`) before parsing dates. */
function stripQuotes(s: string): string {
  let start = 0;
  let end = s.length;
  while (start < end && s.charCodeAt(start) === 34) start++;
  while (end > start && s.charCodeAt(end - 1) === 34) end--;
  return start === 0 && end === s.length ? s : s.slice(start, end);
}

function scaleNumber(v: number, nowMicros: number): number {
  if (v === 0) return nowMicros;
  if (v > BASE_NS) return Math.trunc(v / 1000);
  if (v > BASE_US) return v;
  if (v > BASE_MS) return v * 1000;
  return v * 1_000_000;
}

function scaleBigInt(v: bigint, nowMicros: number): number {
  if (v === 0n) return nowMicros;
  if (v > BASE_NS_BIG) return Number(v / 1000n);
  if (v > BASE_US_BIG) return Number(v);
  if (v > BASE_MS_BIG) return Number(v * 1000n);
  return Number(v * 1_000_000n);
}
