// match_datadog_query on real VRL programs: each syntax element once, true and false.
import { describe, expect, it } from 'vitest';
import { compileVrl } from '../index.js';

const EVENT = {
  message: 'GET /api/users took 120ms',
  host: 'web-1',
  status: 'error',
  http: { code: 503, method: 'GET' },
  tags: ['env:prod', 'team:core', 'version:1.4'],
};

function match(query: string): unknown {
  const c = compileVrl(`match_datadog_query(object!(.e), ${JSON.stringify(query)})`);
  if (!c.ok) throw new Error(c.message);
  const r = c.program.run({ e: structuredClone(EVENT) });
  if (!r.ok) throw new Error(r.aborted ? r.message : r.error);
  return r.value;
}

describe('match_datadog_query', () => {
  it.each([
    ['users', true],
    ['admins', false],
    ['"took 120ms"', true],
    ['us*', true],
    ['@http.code:503', true],
    ['@http.code:[500 TO 599]', true],
    ['@http.code:{503 TO 599]', false],
    ['@http.code:>=503', true],
    ['@http.code:<500', false],
    ['@http.method:G*', true],
    ['host:web-1', true],
    ['status:ok', false],
    ['env:prod AND team:core', true],
    ['env:dev OR team:core', true],
    ['env:prod -team:core', false],
    ['NOT env:dev', true],
    ['(env:dev OR env:prod) AND version:1.*', true],
    ['_exists_:@http.method', true],
    ['_missing_:@http.path', true],
    ['*:*', true],
  ])('%s → %s', (q, want) => {
    expect(match(q)).toBe(want);
  });

  it('rejects a malformed literal query at compile time (E610)', () => {
    const c = compileVrl('match_datadog_query({"a": 1}, "@a%:1")');
    expect(c.ok).toBe(false);
    expect(!c.ok && c.diagnostics.map((d) => d.code)).toContain(610);
  });
});
