import { describe, expect, it } from 'vitest';
import { castValue } from './cast-value.js';

function ok(value: unknown): { ok: true; value: unknown } {
  return { ok: true, value };
}

describe('castValue to strings', () => {
  it('turns anything into its text', () => {
    expect(castValue(12, 'Utf8')).toEqual(ok('12'));
    expect(castValue(1.5, 'Utf8')).toEqual(ok('1.5'));
    expect(castValue(true, 'Utf8')).toEqual(ok('true'));
    expect(castValue(2n ** 64n, 'Utf8')).toEqual(ok('18446744073709551616'));
    expect(castValue('x', 'Utf8')).toEqual(ok('x'));
  });
});

describe('castValue to integers', () => {
  it('parses integer strings strictly', () => {
    expect(castValue('42', 'Int64')).toEqual(ok(42));
    expect(castValue('-42', 'Int64')).toEqual(ok(-42));
    expect(castValue('+7', 'UInt64')).toEqual(ok(7));
    expect(castValue('9223372036854775807', 'Int64')).toEqual(ok(2n ** 63n - 1n));
    expect(castValue('18446744073709551615', 'UInt64')).toEqual(ok(2n ** 64n - 1n));
  });

  it('turns booleans into 1 and 0', () => {
    expect(castValue(true, 'Int64')).toEqual(ok(1));
    expect(castValue(false, 'UInt64')).toEqual(ok(0));
  });

  it('truncates floats toward zero', () => {
    expect(castValue(2.9, 'Int64')).toEqual(ok(2));
    expect(castValue(-2.9, 'Int64')).toEqual(ok(-2));
    expect(castValue(-0.5, 'UInt64')).toEqual(ok(0));
  });

  it('fails text that is not an integer, naming the field', () => {
    expect(castValue('abc', 'Int64', 'code')).toEqual({
      ok: false,
      error: 'Failed to cast code to type Int64',
    });
    expect(castValue('1.5', 'Int64', 'code').ok).toBe(false);
    expect(castValue(' 1', 'Int64', 'code').ok).toBe(false);
    expect(castValue('', 'Int64', 'code').ok).toBe(false);
  });

  it('names the value when no field is given', () => {
    expect(castValue('abc', 'Int64')).toEqual({
      ok: false,
      error: 'Failed to cast abc to type Int64',
    });
  });

  it('fails values outside the column range', () => {
    expect(castValue('9223372036854775808', 'Int64').ok).toBe(false);
    expect(castValue(2 ** 63, 'Int64').ok).toBe(false);
    expect(castValue(-1, 'UInt64')).toEqual({
      ok: false,
      error: 'Failed to cast -1 to type UInt64',
    });
    expect(castValue('-1', 'UInt64').ok).toBe(false);
    expect(castValue(2n ** 64n, 'UInt64').ok).toBe(false);
  });
});

describe('castValue to floats', () => {
  it('parses decimal strings and converts booleans and bigints', () => {
    expect(castValue('1.5', 'Float64')).toEqual(ok(1.5));
    expect(castValue('-2e3', 'Float64')).toEqual(ok(-2000));
    expect(castValue('7', 'Float64')).toEqual(ok(7));
    expect(castValue(true, 'Float64')).toEqual(ok(1));
    expect(castValue(2n ** 64n, 'Float64')).toEqual(ok(2 ** 64));
    expect(castValue(3, 'Float64')).toEqual(ok(3));
  });

  it('fails text that is not a finite decimal', () => {
    expect(castValue('1.5ms', 'Float64', 'took')).toEqual({
      ok: false,
      error: 'Failed to cast took to type Float64',
    });
    expect(castValue('NaN', 'Float64').ok).toBe(false);
    expect(castValue('inf', 'Float64').ok).toBe(false);
  });
});

describe('castValue to booleans', () => {
  it('reads numbers as "greater than zero"', () => {
    expect(castValue(2, 'Boolean')).toEqual(ok(true));
    expect(castValue(0, 'Boolean')).toEqual(ok(false));
    expect(castValue(-1, 'Boolean')).toEqual(ok(false));
    expect(castValue(1n, 'Boolean')).toEqual(ok(true));
  });

  it('reads exactly "true" and "false"', () => {
    expect(castValue('true', 'Boolean')).toEqual(ok(true));
    expect(castValue('false', 'Boolean')).toEqual(ok(false));
    expect(castValue('TRUE', 'Boolean', 'flag')).toEqual({
      ok: false,
      error: 'Failed to cast flag to type Boolean',
    });
  });
});
