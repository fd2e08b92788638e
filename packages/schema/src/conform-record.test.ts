import { describe, expect, it } from 'vitest';
import { conformRecord } from './conform-record.js';
import type { Schema } from './field-type.js';

const schema: Schema = [
  { name: '_timestamp', type: 'Int64' },
  { name: 'code', type: 'Int64' },
  { name: 'flag', type: 'Boolean' },
  { name: 'msg', type: 'Utf8' },
  { name: 'took', type: 'Float64' },
];

describe('conformRecord', () => {
  it('leaves a record that already matches untouched', () => {
    const record = { _timestamp: 1, code: 200, flag: true, msg: 'x', took: 1.5 };
    expect(conformRecord(record, schema)).toEqual({ ok: true, record: { ...record } });
  });

  it('casts each value to its stored type in place', () => {
    const record = { _timestamp: 1, code: '404', flag: 1, msg: 500, took: 3 };
    const r = conformRecord(record, schema);
    expect(r).toEqual({
      ok: true,
      record: { _timestamp: 1, code: 404, flag: true, msg: '500', took: 3 },
    });
    expect(r.ok && r.record).toBe(record);
  });

  it('leaves fields the schema does not know alone', () => {
    expect(conformRecord({ extra: 'x' }, schema)).toEqual({ ok: true, record: { extra: 'x' } });
  });

  it('fails the record with every cast failure', () => {
    expect(conformRecord({ code: 'abc', took: 'slow', msg: 'ok' }, schema)).toEqual({
      ok: false,
      error: 'Failed to cast code to type Int64 Failed to cast took to type Float64',
    });
  });

  it('casts a float into an integer column by truncation', () => {
    expect(conformRecord({ code: 200.7 }, schema)).toEqual({ ok: true, record: { code: 200 } });
  });
});
