import { describe, expect, it } from 'vitest';
import { conformRecord } from './conform-record.js';
import { evolveSchema } from './evolve-schema.js';
import type { Schema } from './field-type.js';

describe('evolveSchema', () => {
  it('creates a sorted schema from the first batch, with _timestamp as Int64', () => {
    const r = evolveSchema(
      [],
      [
        { msg: 'a', code: 200, _timestamp: 1 },
        { level: 'info', '1st': true },
      ],
    );
    expect(r.changed).toBe(true);
    expect(r.schema).toEqual([
      { name: '1st', type: 'Boolean' },
      { name: '_timestamp', type: 'Int64' },
      { name: 'code', type: 'Int64' },
      { name: 'level', type: 'Utf8' },
      { name: 'msg', type: 'Utf8' },
    ]);
    expect(r.added.map((f) => f.name)).toEqual(['1st', '_timestamp', 'code', 'level', 'msg']);
    expect(r.widened).toEqual([]);
  });

  it('merges types within the batch before comparing', () => {
    const r = evolveSchema([], [{ n: 1 }, { n: 1.5 }, { s: 1 }, { s: 'x' }, { b: true }, { b: 2 }]);
    expect(r.schema).toEqual([
      { name: '_timestamp', type: 'Int64' },
      { name: 'b', type: 'Int64' },
      { name: 'n', type: 'Float64' },
      { name: 's', type: 'Utf8' },
    ]);
  });

  it('returns the stored schema itself when the batch brings nothing new', () => {
    const stored: Schema = [
      { name: '_timestamp', type: 'Int64' },
      { name: 'code', type: 'Float64' },
    ];
    const r = evolveSchema(stored, [{ _timestamp: 1, code: 2 }]);
    expect(r).toEqual({ schema: stored, changed: false, added: [], widened: [] });
    expect(r.schema).toBe(stored);
  });

  it('follows a stream through a sequence of batches, widening and never narrowing', () => {
    let schema: Schema = [];
    const batches = [
      [{ _timestamp: 1, code: 200, ok: true }],
      [{ _timestamp: 2, code: 1.5, ok: true, path: '/a' }], // code Int64 → Float64, path added
      [{ _timestamp: 3, code: 7, ok: 1 }], // code stays Float64; ok Boolean → Int64
      [{ _timestamp: 4, code: 'n/a' }], // code Float64 → Utf8
      [{ _timestamp: 5, code: 5, ok: false }], // nothing narrows back
    ];
    const history = batches.map((batch) => {
      const r = evolveSchema(schema, batch);
      schema = r.schema;
      return { changed: r.changed, added: r.added.map((f) => f.name), widened: r.widened };
    });
    expect(history).toEqual([
      { changed: true, added: ['_timestamp', 'code', 'ok'], widened: [] },
      { changed: true, added: ['path'], widened: [{ name: 'code', from: 'Int64', to: 'Float64' }] },
      { changed: true, added: [], widened: [{ name: 'ok', from: 'Boolean', to: 'Int64' }] },
      { changed: true, added: [], widened: [{ name: 'code', from: 'Float64', to: 'Utf8' }] },
      { changed: false, added: [], widened: [] },
    ]);
    expect(schema).toEqual([
      { name: '_timestamp', type: 'Int64' },
      { name: 'code', type: 'Utf8' },
      { name: 'ok', type: 'Int64' },
      { name: 'path', type: 'Utf8' },
    ]);
    // the last batch's narrower values are cast to the stored types
    expect(conformRecord({ _timestamp: 5, code: 5, ok: false }, schema)).toEqual({
      ok: true,
      record: { _timestamp: 5, code: '5', ok: 0 },
    });
  });

  it('keeps a stored UInt64 column when negative integers arrive, so those records fail', () => {
    const stored: Schema = [
      { name: '_timestamp', type: 'Int64' },
      { name: 'id', type: 'UInt64' },
    ];
    const r = evolveSchema(stored, [{ _timestamp: 1, id: -1 }]);
    expect(r.changed).toBe(false);
    expect(conformRecord({ _timestamp: 1, id: -1 }, r.schema)).toEqual({
      ok: false,
      error: 'Failed to cast id to type UInt64',
    });
  });

  it('forces _timestamp back to Int64', () => {
    const r = evolveSchema([{ name: '_timestamp', type: 'Utf8' }], []);
    expect(r.schema).toEqual([{ name: '_timestamp', type: 'Int64' }]);
    expect(r.widened).toEqual([{ name: '_timestamp', from: 'Utf8', to: 'Int64' }]);
  });

  it('sorts names by code point', () => {
    const r = evolveSchema([], [{ b: 1, a: 1, é: 1, z: 1, '😀': 1, '\uffee': 1 }]);
    expect(r.schema.map((f) => f.name)).toEqual(['_timestamp', 'a', 'b', 'z', 'é', '\uffee', '😀']);
  });
});
