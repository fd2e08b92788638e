// Functions that reach outside the event are refused unless the host passes them in; plus
// unnest (a path special form) and uuid_from_friendly_id.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  compileVrl,
  envVarFunction,
  reverseDnsFunction,
  schemaDirLoader,
  validateJsonSchemaFunction,
  type VrlFunction,
} from '../index.js';

function run(source: string, functions: VrlFunction[] = [], event: Record<string, unknown> = {}) {
  const c = compileVrl(source, { functions });
  if (!c.ok) throw new Error(c.message);
  return c.program.run(event as never);
}

describe('host functions', () => {
  it('refuses environment, DNS and schema files by default', () => {
    for (const src of [
      'get_env_var!("HOME")',
      'reverse_dns!("127.0.0.1")',
      'validate_json_schema!("{}", "/etc/passwd")',
    ]) {
      const r = run(src);
      expect(r.ok).toBe(false);
      expect(!r.ok && !r.aborted && r.error).toMatch(/is disabled: the host has not allowed/);
    }
  });

  it('get_env_var sees only the variables the host passed', () => {
    const env = envVarFunction({ APP_MODE: 'test' });
    expect(run('get_env_var!("APP_MODE")', [env])).toMatchObject({ ok: true, value: 'test' });
    expect(run('get_env_var!("PATH")', [env])).toMatchObject({ ok: false });
  });

  it('reverse_dns asks the host resolver', () => {
    const dns = reverseDnsFunction((ip) => (ip === '127.0.0.1' ? 'localhost' : undefined));
    expect(run('reverse_dns!("127.0.0.1")', [dns])).toMatchObject({ value: 'localhost' });
    expect(run('reverse_dns!("10.0.0.1")', [dns])).toMatchObject({ ok: false });
  });

  it('validate_json_schema reads schemas below its directory only', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vrl-schema-'));
    writeFileSync(
      join(dir, 's.json'),
      JSON.stringify({ type: 'object', properties: { n: { type: 'integer', minimum: 1 } } }),
    );
    const v = validateJsonSchemaFunction(schemaDirLoader(dir));
    expect(run(`validate_json_schema!(s'{"n": 3}', "s.json")`, [v])).toMatchObject({ value: true });
    const bad = run(`validate_json_schema!(s'{"n": 0}', "s.json")`, [v]);
    expect(!bad.ok && !bad.aborted && bad.error).toMatch(
      /JSON schema validation failed: 0 .* at \/n/,
    );
    for (const p of ['../etc/passwd', '/etc/passwd']) {
      const r = run(`validate_json_schema!("{}", "${p}")`, [v]);
      expect(!r.ok && !r.aborted && r.error).toMatch(/outside the allowed directory/);
    }
  });
});

describe('unnest', () => {
  it('unnests a variable path and leaves the original alone', () => {
    const r = run('x = {"a": 1, "b": {"c": [1, 2]}}\n[unnest(x.b.c), x]');
    expect(r).toMatchObject({
      ok: true,
      value: [
        [
          { a: 1, b: { c: 1 } },
          { a: 1, b: { c: 2 } },
        ],
        { a: 1, b: { c: [1, 2] } },
      ],
    });
  });
  it('fails on a non-array', () => {
    expect(run('unnest!(.a)', [], { a: 'x' })).toMatchObject({ ok: false });
  });
});

describe('uuid_from_friendly_id', () => {
  it('rejects characters outside base 62', () => {
    expect(run('uuid_from_friendly_id!("abc-def")')).toMatchObject({ ok: false });
    expect(run('uuid_from_friendly_id!("1")')).toMatchObject({
      value: '00000000-0000-0000-0000-000000000001',
    });
  });
});
