import { describe, expect, it } from 'vitest';
import { compileVrl, fn, FunctionError, toJson, type Program, type VObject } from './index.js';

function program(source: string, options?: Parameters<typeof compileVrl>[1]): Program {
  const c = compileVrl(source, options);
  if (!c.ok) throw new Error(c.message);
  return c.program;
}

describe('compileVrl / program.run', () => {
  it('transforms an event in place and returns the last value', () => {
    const p = program('.level = upcase(string!(.level))\n.n = to_int!(.n) + 1\ndel(.drop)\n.n');
    const event = { level: 'warn', n: 41, drop: true };
    const r = p.run(event);
    expect(r).toMatchObject({ ok: true, value: 43 - 1 });
    expect(event).toEqual({ level: 'WARN', n: 42 });
  });

  it('runs the same compiled program on many events independently', () => {
    const p = program('.x = to_int!(.s) * 2');
    expect(
      [1, 2, 3].map((n) => (p.run({ s: String(n) }) as { event: VObject }).event['x']),
    ).toEqual([2, 4, 6]);
  });

  it('reports compile errors as VRL diagnostics with code and span', () => {
    const c = compileVrl('.x = to_int(.y)');
    expect(c.ok).toBe(false);
    if (c.ok) return;
    expect(c.diagnostics.map((d) => d.code)).toEqual([103]);
    expect(c.message).toContain('error[E103]: unhandled fallible assignment');
    expect(c.message).toContain('┌─ :1:1');
    const undefinedFn = compileVrl('nope(1)');
    expect(undefinedFn.ok ? [] : undefinedFn.diagnostics.map((d) => d.code)).toEqual([105]);
    const syntax = compileVrl('.a = ');
    expect(syntax.ok ? [] : syntax.diagnostics.map((d) => d.code)).toEqual([203]);
  });

  it('gives VRL runtime error text, handled by ?? and ok, err =', () => {
    const failed = program('parse_json!("{")').run({});
    expect(failed).toMatchObject({ ok: false, aborted: false });
    expect(!failed.ok && !failed.aborted && failed.error).toMatch(
      /^function call error for "parse_json" at \(0:16\): unable to parse json/,
    );
    expect(program('parse_json("{") ?? "fallback"').run({})).toMatchObject({
      ok: true,
      value: 'fallback',
    });
    const r = program('x, err = 1 / 0\n[x, err]').run({});
    expect(r.ok && toJson(r.value)).toEqual([0, "can't divide by zero"]);
  });

  it('aborts with the event as it was', () => {
    expect(program('.a = 1\nabort "stop"\n.b = 2').run({})).toMatchObject({
      ok: false,
      aborted: true,
      message: 'stop',
      event: { a: 1 },
    });
  });

  it('takes extra functions (the enrichment-table hook), fallible ones checked like stdlib', () => {
    const table = new Map([['42', { name: 'ada' }]]);
    const lookup = fn(
      'lookup_user',
      ['id:string'],
      ([id]) => {
        const row = table.get(id as string);
        if (row === undefined) throw new FunctionError('no matching record');
        return row;
      },
      { fallible: true },
    );
    const p = program('.user = lookup_user!(.uid).name', { functions: [lookup] });
    expect(p.run({ uid: '42' })).toMatchObject({ ok: true, event: { uid: '42', user: 'ada' } });
    expect(p.run({ uid: '7' })).toMatchObject({
      ok: false,
      error: 'function call error for "lookup_user" at (8:26): no matching record',
    });
    const unhandled = compileVrl('.user = lookup_user(string!(.uid))', { functions: [lookup] });
    expect(unhandled.ok ? [] : unhandled.diagnostics.map((d) => d.code)).toEqual([103]);
  });

  it('refuses writes to read-only paths (E315)', () => {
    const c = compileVrl('.source.name = "x"', {
      readOnly: [{ path: '.source', recursive: true, metadata: false }],
    });
    expect(c.ok ? [] : c.diagnostics.map((d) => d.code)).toEqual([315]);
  });

  it('keeps floats, timestamps and regexes apart from integers and strings', () => {
    const r = program(
      '[1.5 + 1.5, 3 / 2, format_timestamp!(t\'2020-10-21T16:00:00Z\', "%F %T"), match("ab", r\'^a\')]',
    ).run({});
    expect(r.ok && toJson(r.value)).toEqual([3, 1.5, '2020-10-21 16:00:00', true]);
    const kinds = program('[is_float(1.5 + 1.5), is_integer(3), is_float(.f), is_integer(.i)]').run(
      { f: 2.5, i: 2 },
    );
    expect(kinds.ok && kinds.value).toEqual([true, true, true, true]);
  });
});
