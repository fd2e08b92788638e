import { describe, expect, it } from 'vitest';
import { compileFunction } from './compile.js';
import type { FunctionOutcome } from './compile.js';

async function js(source: string, limits = {}) {
  return compileFunction({ source, transType: 1 }, { jsLimits: limits });
}

function errorOf(out: FunctionOutcome): string {
  if (out.ok) throw new Error(`expected an error, got ${JSON.stringify(out.value)}`);
  return out.error;
}

describe('JavaScript functions', () => {
  it('change `row` in place or return a new value, on a copy of the event', async () => {
    const fn = await js('row.count = (row.count || 0) + 1; row.tags.push("x");');
    const event = { name: 'test', count: 5, tags: ['a'] };
    expect(fn.run(event)).toEqual({
      ok: true,
      value: { name: 'test', count: 6, tags: ['a', 'x'] },
    });
    expect(event).toEqual({ name: 'test', count: 5, tags: ['a'] });
    const ret = await js('return { n: row.length };');
    expect(ret.run([1, 2, 3])).toEqual({ ok: true, value: { n: 3 } });
  });

  it('report errors by their JS name (ReferenceError) and refuse a source that does not parse', async () => {
    const fn = await js('row.x = missing_variable + 1;');
    expect(errorOf(fn.run({}))).toMatch(/^ReferenceError: .*missing_variable/);
    await expect(js('row.x = ;')).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: expect.stringMatching(/^JavaScript compile error: SyntaxError/) as unknown,
    });
  });

  it('reach no host: require, process, import(), fetch and timers do not exist', async () => {
    const probes = {
      require: "row.r = typeof require; require('fs');",
      process: 'row.p = process.env;',
      escape: "return this.constructor.constructor('return process')().env;",
      ctorEscape: "return row.constructor.constructor('return process')().pid;",
      fetch: "fetch('http://127.0.0.1/');",
      setTimeout: 'setTimeout(() => {}, 1);',
      importMeta: "return Function('return typeof import.meta')();",
    };
    for (const [name, source] of Object.entries(probes)) {
      const fn = await js(source).catch((e: unknown) => e);
      if (fn instanceof Error) {
        // Refused at compile time (import.meta outside a module) is as good as failing.
        expect(fn.message, name).toMatch(/SyntaxError/);
        continue;
      }
      const out = (fn as Awaited<ReturnType<typeof js>>).run({});
      expect(errorOf(out), name).toMatch(/ReferenceError|TypeError|SyntaxError/);
    }
    // globalThis is the sandbox's own: only ECMAScript built-ins, nothing of Node.
    const globals = await js(
      "return { keys: Object.getOwnPropertyNames(globalThis).filter(k => ['process','require','Buffer','fetch','setTimeout','setInterval','queueMicrotask','global','module'].includes(k)) };",
    );
    expect(globals.run({})).toEqual({ ok: true, value: { keys: [] } });
  });

  it('dynamic import() loads nothing: no module loader exists, so no host module is reachable', async () => {
    const fn = await js(
      "let seen = 'pending'; import('node:fs').then(m => { seen = typeof m.readFileSync; }, e => { seen = String(e); }); return { p: typeof import('fs').then };",
    );
    expect(fn.run({})).toEqual({ ok: true, value: { p: 'function' } });
    // The promise never settles with a host module: the call ends when the function returns.
    const direct = await js("return import('node:fs');");
    expect(direct.run({})).toEqual({ ok: true, value: {} });
  });

  it('ends an infinite loop with a time limit error, and the next call works', async () => {
    const fn = await js('if (row.spin) { for (;;) {} } row.ok = true;', { timeMs: 50 });
    const started = Date.now();
    expect(errorOf(fn.run({ spin: true }))).toMatch(/^time limit exceeded/);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(fn.run({ spin: false })).toEqual({ ok: true, value: { spin: false, ok: true } });
  });

  it('ends a huge allocation with a memory limit error', async () => {
    const fn = await js("const a = []; for (;;) a.push('x'.repeat(1024) + a.length);", {
      memoryBytes: 8 * 1024 * 1024,
      timeMs: 5000,
    });
    expect(errorOf(fn.run({}))).toMatch(/^memory limit exceeded/);
    const big = await js("row.s = 'x'.repeat(64 * 1024 * 1024);", { memoryBytes: 8 * 1024 * 1024 });
    expect(errorOf(big.run({}))).toMatch(/^memory limit exceeded/);
  });

  it('keeps prototype pollution inside the function: neither the host nor another function sees it', async () => {
    const fn = await js(
      'if (row.pollute) { Object.prototype.polluted = "yes"; Array.prototype.map = null; } return { seen: ({}).polluted ?? "none" };',
    );
    const other = await js('return { seen: ({}).polluted ?? "none", map: typeof [].map };');
    expect(fn.run({ pollute: true })).toEqual({ ok: true, value: { seen: 'yes' } });
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    expect(typeof [].map).toBe('function');
    expect(other.run({})).toEqual({ ok: true, value: { seen: 'none', map: 'function' } });
    // A `__proto__` key in the result is data, not a prototype change on the host.
    const proto = await js('return JSON.parse(\'{"__proto__": {"admin": true}}\');');
    const out = proto.run({});
    expect(out.ok).toBe(true);
    expect(({} as Record<string, unknown>)['admin']).toBeUndefined();
  });

  it('keeps its globals between calls until a call fails, then starts clean', async () => {
    const fn = await js(
      'if (row.set) globalThis.n = (globalThis.n || 0) + 1; if (row.fail) throw new TypeError("no"); return { n: globalThis.n || 0 };',
    );
    expect(fn.run({ set: true })).toEqual({ ok: true, value: { n: 1 } });
    expect(fn.run({ set: true })).toEqual({ ok: true, value: { n: 2 } });
    expect(errorOf(fn.run({ set: true, fail: true }))).toBe('TypeError: no');
    expect(fn.run({})).toEqual({ ok: true, value: { n: 0 } });
  });

  it('survives deep recursion as an error', async () => {
    const fn = await js('function f(n) { return f(n + 1) + 1; } return f(0);');
    expect(errorOf(fn.run({}))).toMatch(/RangeError|InternalError|stack/i);
  });
});
