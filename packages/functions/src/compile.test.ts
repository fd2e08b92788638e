import { describe, expect, it } from 'vitest';
import { compileFunction } from './compile.js';
import { applyQueryFunction, decodeQueryFn } from './query-fn.js';

const vrl = (source: string) => compileFunction({ source, transType: 0 });

describe('VRL functions', () => {
  it('give the event the program leaves (O2 appends `.`), on a copy', async () => {
    const fn = await vrl('.count = to_int!(.count) + 1');
    const event = { name: 'test', count: 5 };
    expect(fn.run(event)).toEqual({ ok: true, value: { name: 'test', count: 6 } });
    expect(event.count).toBe(5);
    const dotted = await vrl('.a = 1\n.');
    expect(dotted.run({})).toEqual({ ok: true, value: { a: 1 } });
  });

  it('report runtime errors as "vrl runtime error", abort separately, compile errors as 400s', async () => {
    const fn = await vrl('.n = to_int!(.s)');
    const bad = fn.run({ s: 'nope' });
    expect(bad).toMatchObject({ ok: false, aborted: false });
    expect(bad.ok ? '' : bad.error).toMatch(/^vrl runtime error: /);
    const abort = await vrl('if .drop == true { abort }');
    expect(abort.run({ drop: true })).toMatchObject({ ok: false, aborted: true });
    expect(abort.run({ drop: false })).toEqual({ ok: true, value: { drop: false } });
    await expect(vrl('.x = to_int(.s)')).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: expect.stringContaining('vrl compile error') as unknown,
    });
    await expect(vrl('garbage ((')).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });
});

describe('applyQueryFunction', () => {
  const hits = [
    { _timestamp: 3, level: 'info', n: 1 },
    { _timestamp: 2, level: 'error', n: 2 },
    { _timestamp: 1, level: 'info', n: 3 },
  ];

  it('runs per row: replaces, flattens, drops aborted rows, keeps failed rows with one error each', async () => {
    const fn = await vrl(
      'if .level == "error" { abort }\n.extra = {"a": {"b": .n}}\nif .n == 3 { .m = to_int!("x") }',
    );
    const out = applyQueryFunction(fn, hits);
    expect(out.hits).toEqual([{ _timestamp: 3, level: 'info', n: 1, extra_a_b: 1 }, hits[2]]);
    expect(out.errors).toHaveLength(1);
    expect(out.errors[0]).toMatch(/^vrl runtime error/);
  });

  it('gives a #ResultArray# program the whole array and takes its array back', async () => {
    const fn = await vrl('#ResultArray#\n. = [{"count": length(array!(.))}]');
    expect(fn.resultArray).toBe(true);
    expect(fn.skipVrl).toBe(false);
    expect(applyQueryFunction(fn, hits)).toEqual({ hits: [{ count: 3 }], errors: [] });
    const skip = await vrl('#ResultArray#SkipVRL#\n. = slice!(array!(.), 0, 1)');
    expect(skip).toMatchObject({ resultArray: true, skipVrl: true });
    expect(applyQueryFunction(skip, hits).hits).toEqual([hits[0]]);
    const notArray = await vrl('#ResultArray#\n. = {"x": 1}');
    expect(applyQueryFunction(notArray, hits)).toEqual({
      hits,
      errors: ['#ResultArray# function did not return an array'],
    });
  });

  it('decodes base64 query_fn (standard and URL-safe) and refuses garbage', () => {
    const src = '.a = "ü?>"';
    expect(decodeQueryFn(Buffer.from(src).toString('base64'))).toBe(src);
    expect(decodeQueryFn(Buffer.from(src).toString('base64url'))).toBe(src);
    expect(decodeQueryFn('not base64!')).toBeUndefined();
    expect(decodeQueryFn(Buffer.from([0xff, 0xfe]).toString('base64'))).toBeUndefined();
  });
});
