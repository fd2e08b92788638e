import { civilToMicros, daysInMonth } from './civil-time.js';

/**
 * `YYYY-MM-DD(T|t| )HH:MM:SS[.f{1,9}][Z|z|±HH:MM]` → µs since the epoch, or undefined.
 * Covers O2's naive forms (read as UTC), with any 1–9 fraction digits (truncated to µs), and
 * RFC 3339 with `Z` or an offset. Every field is range-checked: `2021-02-30` is refused.
 */
export function parseIsoDateTime(s: string): number | undefined {
  const n = s.length;
  if (n < 19) return undefined;
  const year = digits(s, 0, 4);
  const month = digits(s, 5, 2);
  const day = digits(s, 8, 2);
  const hour = digits(s, 11, 2);
  const minute = digits(s, 14, 2);
  const second = digits(s, 17, 2);
  if (
    s.charCodeAt(4) !== 45 || // -
    s.charCodeAt(7) !== 45 ||
    s.charCodeAt(13) !== 58 || // :
    s.charCodeAt(16) !== 58 ||
    year < 0 ||
    month < 1 ||
    month > 12 ||
    day < 1 ||
    day > daysInMonth(year, month) ||
    hour < 0 ||
    hour > 23 ||
    minute < 0 ||
    minute > 59 ||
    second < 0 ||
    second > 59
  ) {
    return undefined;
  }
  const sep = s.charCodeAt(10);
  if (sep !== 84 && sep !== 116 && sep !== 32) return undefined; // T t space

  let i = 19;
  let micros = 0;
  if (i < n && s.charCodeAt(i) === 46) {
    // fraction: 1..9 digits, the first six scaled to µs, the rest truncated
    i++;
    const start = i;
    let scale = 100_000;
    while (i < n) {
      const c = s.charCodeAt(i);
      if (c < 48 || c > 57) break;
      micros += (c - 48) * scale;
      scale = Math.floor(scale / 10);
      i++;
    }
    const count = i - start;
    if (count < 1 || count > 9) return undefined;
  }

  let offset = 0;
  if (i < n) {
    const z = s.charCodeAt(i);
    if (z === 90 || z === 122) {
      i++; // Z z
    } else if (z === 43 || z === 45) {
      if (n - i !== 6 || s.charCodeAt(i + 3) !== 58) return undefined;
      const oh = digits(s, i + 1, 2);
      const om = digits(s, i + 4, 2);
      if (oh < 0 || oh > 23 || om < 0 || om > 59) return undefined;
      offset = (z === 45 ? -1 : 1) * (oh * 3600 + om * 60);
      i += 6;
    } else {
      return undefined;
    }
  }
  if (i !== n) return undefined;
  return civilToMicros(year, month, day, hour, minute, second, micros, offset);
}

/** The decimal value of `len` ASCII digits at `at`, or -1 if any is not a digit. */
export function digits(s: string, at: number, len: number): number {
  let v = 0;
  for (let i = at; i < at + len; i++) {
    const c = s.charCodeAt(i);
    if (!(c >= 48 && c <= 57)) return -1; // also catches NaN past the end
    v = v * 10 + (c - 48);
  }
  return v;
}
