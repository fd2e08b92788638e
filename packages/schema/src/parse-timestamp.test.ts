import { describe, expect, it } from 'vitest';
import { parseTimestamp } from './parse-timestamp.js';

const NOW = 1_767_225_600_000_000; // 2026-01-01T00:00:00Z
const T = 1_609_459_200; // 2021-01-01T00:00:00Z in seconds

function micros(value: unknown): number {
  const r = parseTimestamp(value, NOW);
  if (!r.ok) throw new Error(`expected ${String(value)} to parse, got ${r.error}`);
  return r.micros;
}

function fails(value: unknown): void {
  expect(parseTimestamp(value, NOW)).toEqual({ ok: false, error: "Can't parse timestamp" });
}

describe('parseTimestamp numbers', () => {
  it('reads seconds, milliseconds, microseconds and nanoseconds by magnitude', () => {
    expect(micros(T)).toBe(T * 1e6);
    expect(micros(T * 1e3)).toBe(T * 1e6);
    expect(micros(T * 1e6)).toBe(T * 1e6);
    expect(micros(T * 1e9)).toBe(T * 1e6);
  });

  it('divides a nanosecond bigint exactly', () => {
    expect(micros(1_609_459_200_123_456_789n)).toBe(1_609_459_200_123_456);
  });

  it('scales around the 1971-01-01 thresholds', () => {
    expect(micros(31_536_000)).toBe(31_536_000 * 1e6); // equal to BASE in s: still seconds
    expect(micros(31_536_000_001)).toBe(31_536_000_001_000); // above BASE in ms
    expect(micros(31_536_000_000_001)).toBe(31_536_000_000_001); // above BASE in µs
  });

  it('treats 0 as now', () => {
    expect(micros(0)).toBe(NOW);
    expect(micros('0')).toBe(NOW);
  });

  it('truncates floats before scaling', () => {
    expect(micros(1_609_459_200.999)).toBe(T * 1e6);
    expect(micros(1_609_459_200_123.9)).toBe(1_609_459_200_123_000);
  });

  it('rejects non-finite numbers', () => {
    fails(Number.NaN);
    fails(Number.POSITIVE_INFINITY);
  });
});

describe('parseTimestamp numeric strings', () => {
  it('reads integer strings in every unit', () => {
    expect(micros('1609459200')).toBe(T * 1e6);
    expect(micros('1609459200000')).toBe(T * 1e6);
    expect(micros('1609459200000000')).toBe(T * 1e6);
    expect(micros('1609459200123456789')).toBe(1_609_459_200_123_456);
    expect(micros('+1609459200')).toBe(T * 1e6);
  });

  it('reads decimal strings and truncates them', () => {
    expect(micros('1609459200.75')).toBe(T * 1e6);
    expect(micros('1.6094592e9')).toBe(T * 1e6);
  });

  it('refuses numbers written loosely', () => {
    fails(' 1609459200');
    fails('1609459200 ');
    fails('0x10');
    fails('Infinity');
    fails('');
    fails('1_000');
  });
});

describe('parseTimestamp date strings', () => {
  it('reads "YYYY-MM-DD HH:MM:SS" and "YYYY-MM-DDTHH:MM:SS" as UTC', () => {
    expect(micros('2021-01-01 00:00:00')).toBe(T * 1e6);
    expect(micros('2021-01-01T00:00:00')).toBe(T * 1e6);
    expect(micros('2021-01-01T23:59:59')).toBe(1_609_545_599_000_000);
  });

  it('reads 1 to 9 fraction digits, truncated to microseconds', () => {
    expect(micros('2021-01-01T00:00:00.1')).toBe(1_609_459_200_100_000);
    expect(micros('2021-01-01T00:00:00.123')).toBe(1_609_459_200_123_000);
    expect(micros('2021-01-01 00:00:00.123456')).toBe(1_609_459_200_123_456);
    expect(micros('2021-01-01T00:00:00.123456789')).toBe(1_609_459_200_123_456);
    fails('2021-01-01T00:00:00.');
    fails('2021-01-01T00:00:00.1234567890');
  });

  it('reads RFC 3339 with Z or an offset', () => {
    expect(micros('2021-01-01T00:00:00Z')).toBe(T * 1e6);
    expect(micros('2021-01-01T00:00:00+08:00')).toBe(1_609_430_400_000_000);
    expect(micros('1996-12-19T16:39:57-08:00')).toBe(851_042_397_000_000);
    expect(micros('2021-01-01T00:00:00.123456+08:00')).toBe(1_609_430_400_123_456);
    expect(micros('2021-01-01T00:00:00.123456789-08:00')).toBe(1_609_488_000_123_456);
    expect(micros('2021-01-01T00:00:00.12Z')).toBe(1_609_459_200_120_000);
  });

  it('reads RFC 2822 with a numeric or named zone', () => {
    expect(micros('Tue, 1 Jul 2003 10:52:37 +0200')).toBe(1_057_049_557_000_000);
    expect(micros('1 Jul 2003 10:52:37 +0200')).toBe(1_057_049_557_000_000);
    expect(micros('Wed, 8 Mar 2023 16:46:51 CST')).toBe(1_678_315_611_000_000);
    expect(micros('Fri, 01 Jan 2021 00:00:00 GMT')).toBe(T * 1e6);
    expect(micros('Fri, 01 Jan 2021 00:00 -0000')).toBe(T * 1e6);
  });

  it('accepts a date wrapped in double quotes', () => {
    expect(micros('"2021-01-01T00:00:00Z"')).toBe(T * 1e6);
  });

  it('rejects impossible dates and times', () => {
    fails('2021-02-29T00:00:00'); // 2021 is not a leap year
    fails('2021-13-01T00:00:00');
    fails('2021-01-01T24:00:00');
    fails('2021-01-01T00:60:00');
    fails('2021-01-01T00:00:00+24:00');
    fails('Thu, 1 Jul 2003 10:52:37 +0200'); // 1 Jul 2003 was a Tuesday
    fails('Tue, 31 Jun 2003 10:52:37 +0200');
  });

  it('accepts 29 February in a leap year', () => {
    expect(micros('2024-02-29T12:00:00Z')).toBe(1_709_208_000_000_000);
  });

  it('refuses what Date.parse would guess at', () => {
    fails('garbage');
    fails('2021-01-01');
    fails('2021/01/01 00:00:00');
    fails('2021-01-01T00:00:00 +08:00');
    fails('2021-01-01T00:00:00+0800');
    fails('2021-01-01T00:00:00ZZ');
    fails('Tue, 1 Jul 2003 10:52:37');
    fails('Tue 1 Jul 2003 10:52:37 +0200');
    fails('1 July 2003 10:52:37 +0200');
    fails('1 Jul 2003 10:52:37 XYZ');
    fails('1 Jul 2003 10:52:37 constructor');
    fails('Mon Jan 01 2021');
  });
});

describe('parseTimestamp other values', () => {
  it('uses now for a missing or null timestamp', () => {
    expect(micros(undefined)).toBe(NOW);
    expect(micros(null)).toBe(NOW);
  });

  it('rejects booleans and objects', () => {
    fails(true);
    fails({ t: 1 });
  });
});
