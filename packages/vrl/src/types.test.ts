import { describe, expect, it } from 'vitest';
import { compileVrl } from './index.js';

function value(source: string): unknown {
  const c = compileVrl(source);
  if (!c.ok) throw new Error(c.message);
  const r = c.program.run({});
  if (!r.ok) throw new Error(JSON.stringify(r));
  return r.value;
}

function codes(source: string): number[] {
  const c = compileVrl(source);
  return c.ok ? [] : c.diagnostics.map((d) => d.code);
}

describe('checker types (shapes)', () => {
  it('type_def shows object fields, array elements and maybe-missing fields', () => {
    expect(value('x = {"a": 1, "b": ["s"]}\ntype_def(x)')).toEqual({
      object: { a: { integer: true }, b: { array: { '0': { bytes: true } } } },
    });
    expect(value('. = {}\nif .c == 1 { .x = true } else { .y = 2 }\ntype_def(.)')).toEqual({
      object: { x: { boolean: true, undefined: true }, y: { integer: true, undefined: true } },
    });
    expect(value('x = {"a": 1} | {"a": "s", "b": 2.5}\ntype_def(x)')).toEqual({
      object: { a: { bytes: true }, b: { float: true } },
    });
  });

  it('refuses mutating into a scalar (E642) and merging a non-object (E652)', () => {
    expect(codes('x = "s"\nx.f = 1')).toEqual([642]);
    expect(codes('x = 1\nx[0] = 1')).toEqual([642]);
    expect(codes('x = {}\nx |= 3')).toEqual([652]);
    expect(codes('x = {}\nx.f = 1\nx.f.g = 2')).toEqual([642]);
    expect(codes('x = {}\nx.f.g = 2')).toEqual([]); // x.f is missing: the write creates it
    expect(codes('.f.g = 2')).toEqual([]); // event data may be anything
  });

  it('only applies the right side of a short circuit when it may run', () => {
    expect(value('x = 1\n_y = true || { x = "s"; true }\ntype_def(x)')).toEqual({ integer: true });
    expect(value('x = 1\n_y = .u || { x = "s"; true }\ntype_def(x)')).toEqual({
      integer: true,
      bytes: true,
    });
    expect(codes('_y = true || parse_json("x")')).toEqual([]);
  });
});

describe('i64 integers', () => {
  it('wraps like VRL past 2^63 and keeps small results exact', () => {
    expect(value('9223372036854775807 + 1')).toBe(-9223372036854775808);
    expect(value('444111111111 * 1111111111111111')).toBe(Number(3578153274754795185n));
    expect(value('-9223372036854775808 - 1')).toBe(Number(9223372036854775807n)); // as the nearest double;
    expect(Object.is(value('-4 % 2'), 0)).toBe(true);
    expect(value('7 * 6 - 2')).toBe(40);
    expect(codes('92233720368547758080')).toEqual([208]);
  });
});
