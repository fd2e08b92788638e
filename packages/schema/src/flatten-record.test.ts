import { describe, expect, it } from 'vitest';
import { AppError } from '@o2/errors';
import { flattenRecord } from './flatten-record.js';

describe('flattenRecord', () => {
  it('joins nested keys with _ and formats them', () => {
    expect(
      flattenRecord({ Kubernetes: { 'Pod.Name': 'p1', labels: { App: 'web' } }, level: 'info' }),
    ).toEqual({ kubernetes_pod_name: 'p1', kubernetes_labels_app: 'web', level: 'info' });
  });

  it('keeps strings, numbers, booleans and bigints as they are', () => {
    expect(flattenRecord({ s: 'x', i: 1, f: 1.5, b: false, big: 2n ** 64n })).toEqual({
      s: 'x',
      i: 1,
      f: 1.5,
      b: false,
      big: 2n ** 64n,
    });
  });

  it('stores arrays as their JSON text instead of exploding them', () => {
    expect(flattenRecord({ tags: ['x', 'y'], a: { nums: [1, [2, 3], { k: null }] } })).toEqual({
      tags: '["x","y"]',
      a_nums: '[1,[2,3],{"k":null}]',
    });
  });

  it('writes bigints inside arrays as bare JSON integers', () => {
    expect(flattenRecord({ ids: [1n, 18446744073709551615n] })).toEqual({
      ids: '[1,18446744073709551615]',
    });
  });

  it('handles nesting 10,000 levels deep (objects and arrays) without overflowing the stack', () => {
    const depth = 10_000;
    const text = `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
    const value = JSON.parse(text) as Record<string, unknown>;
    // Level 3: the object at depth 3 is kept as its (still 9,997-deep) JSON text.
    const flat = flattenRecord({ ...value, ids: [1n] }, { maxLevel: 3 });
    expect(flat['a_a_a']).toBe(`${'{"a":'.repeat(depth - 3)}1${'}'.repeat(depth - 3)}`);
    expect(flat['ids']).toBe('[1]');
    // Unlimited still stops recursing at MAX_FLATTEN_DEPTH and writes the rest as text.
    const unlimited = flattenRecord(value, { maxLevel: 0 });
    expect(Object.keys(unlimited)).toHaveLength(1);
    const arrays = JSON.parse(`{"x":${'['.repeat(depth)}${']'.repeat(depth)}}`) as object;
    expect(flattenRecord(arrays)['x']).toBe(`${'['.repeat(depth)}${']'.repeat(depth)}`);
  });

  it('writes deep values back as JSON.stringify would (undefined, non-finite, nested)', () => {
    const deep = JSON.parse(`${'['.repeat(6000)}${']'.repeat(6000)}`) as unknown[];
    const value = { a: [1, undefined, 'x', Infinity, { b: undefined, c: true }], deep };
    const flat = flattenRecord({ v: [value] });
    const expected = `[{"a":[1,null,"x",null,{"c":true}],"deep":${'['.repeat(6000)}${']'.repeat(6000)}}]`;
    expect(flat['v']).toBe(expected);
  });

  it('drops nulls, empty arrays and empty objects', () => {
    expect(flattenRecord({ a: null, b: [], c: {}, d: { e: {}, f: null }, g: 1 })).toEqual({ g: 1 });
    expect(flattenRecord({})).toEqual({});
  });

  it('at the default level 3 keeps objects at depth 3 as JSON text under the path so far', () => {
    expect(flattenRecord({ a: { b: { c: { d: 1 } } } })).toEqual({ a_b_c: '{"d":1}' });
    expect(flattenRecord({ a: { b: { c: 1 } } })).toEqual({ a_b_c: 1 });
  });

  it('at level 1 keeps every nested object as JSON text', () => {
    expect(flattenRecord({ a: { b: { c: 1 } }, x: 2 }, { maxLevel: 1 })).toEqual({
      a: '{"b":{"c":1}}',
      x: 2,
    });
  });

  it('at level 0 flattens without limit', () => {
    expect(flattenRecord({ a: { b: { c: { d: { e: 1 } } } } }, { maxLevel: 0 })).toEqual({
      a_b_c_d_e: 1,
    });
  });

  it('stops at 128 levels even when unlimited', () => {
    let deep: Record<string, unknown> = { leaf: 1 };
    for (let i = 0; i < 130; i++) deep = { d: deep };
    const out = flattenRecord(deep, { maxLevel: 0 });
    const [key] = Object.keys(out);
    expect(key).toBe(Array.from({ length: 128 }, () => 'd').join('_'));
    expect(out[key ?? '']).toBe('{"d":{"d":{"leaf":1}}}');
  });

  it('drops an empty object even where it would have been stored as text', () => {
    expect(flattenRecord({ a: {}, b: { c: {} } }, { maxLevel: 1 })).toEqual({ b: '{"c":{}}' });
  });

  it('keeps original keys inside the JSON text of a too-deep object', () => {
    expect(flattenRecord({ a: { 'B.c': 1 } }, { maxLevel: 1 })).toEqual({ a: '{"B.c":1}' });
  });

  it('lets the last of two colliding keys win', () => {
    expect(flattenRecord({ 'a.b': 1, a_b: 2 })).toEqual({ a_b: 2 });
    expect(flattenRecord({ a: { b: 1 }, 'A.B': 3 })).toEqual({ a_b: 3 });
    expect(flattenRecord({ a_b: 3, a: { b: null } })).toEqual({ a_b: 3 }); // nulls never win
  });

  it('joins an empty key with _ below the top level', () => {
    expect(flattenRecord({ key: { '': { '': 'a' } } })).toEqual({ key__: 'a' });
  });

  it('stores a __proto__ key as a column, not as the prototype', () => {
    const out = flattenRecord(JSON.parse('{"__proto__": {"polluted": 1}, "_": {"proto__": 2}}'));
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(Object.keys(out)).toEqual(['__proto___polluted', '__proto__']);
    expect(Object.getOwnPropertyDescriptor(out, '__proto__')?.value).toBe(2);
  });

  it('fails a non-object with "flatten value must be an object"', () => {
    for (const bad of [3, 'x', true, null, [1, 2]]) {
      expect(() => flattenRecord(bad)).toThrow(AppError);
      expect(() => flattenRecord(bad)).toThrow('flatten value must be an object');
    }
  });
});
