import { describe, expect, it } from 'vitest';
import { inferType } from './infer-type.js';

describe('inferType', () => {
  it('maps strings, booleans, integers and floats', () => {
    expect(inferType('x')).toBe('Utf8');
    expect(inferType('')).toBe('Utf8');
    expect(inferType(true)).toBe('Boolean');
    expect(inferType(42)).toBe('Int64');
    expect(inferType(-42)).toBe('Int64');
    expect(inferType(1.5)).toBe('Float64');
  });

  it('skips null and undefined', () => {
    expect(inferType(null)).toBeUndefined();
    expect(inferType(undefined)).toBeUndefined();
  });

  it('keeps integers up to 2^63 in Int64 and above it in UInt64', () => {
    expect(inferType(-(2 ** 63))).toBe('Int64');
    expect(inferType(2 ** 62)).toBe('Int64');
    expect(inferType(2 ** 63)).toBe('UInt64');
    expect(inferType(2 ** 64 - 2048)).toBe('UInt64');
  });

  it('calls integral doubles at or above 2^64 and big floats Float64', () => {
    expect(inferType(2 ** 64)).toBe('Float64');
    expect(inferType(1e20)).toBe('Float64');
    expect(inferType(1.7976931348623157e308)).toBe('Float64');
    expect(inferType(-(2 ** 64))).toBe('Float64');
  });

  it('reads exact bigints: i64, then u64, then Utf8', () => {
    expect(inferType(2n ** 63n - 1n)).toBe('Int64');
    expect(inferType(-(2n ** 63n))).toBe('Int64');
    expect(inferType(2n ** 63n)).toBe('UInt64');
    expect(inferType(2n ** 64n - 1n)).toBe('UInt64');
    expect(inferType(2n ** 64n)).toBe('Utf8');
    expect(inferType(-(2n ** 63n) - 1n)).toBe('Utf8');
  });
});
