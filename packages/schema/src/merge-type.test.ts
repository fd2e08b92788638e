import { describe, expect, it } from 'vitest';
import type { FieldType } from './field-type.js';
import { FIELD_TYPES } from './field-type.js';
import { mergeType } from './merge-type.js';

describe('mergeType', () => {
  const cases: [FieldType, FieldType, FieldType][] = [
    ['Utf8', 'Int64', 'Utf8'],
    ['Utf8', 'UInt64', 'Utf8'],
    ['Utf8', 'Float64', 'Utf8'],
    ['Utf8', 'Boolean', 'Utf8'],
    ['Int64', 'Float64', 'Float64'],
    ['Int64', 'UInt64', 'UInt64'],
    ['UInt64', 'Float64', 'Float64'],
    ['Boolean', 'Int64', 'Int64'],
    ['Boolean', 'UInt64', 'UInt64'],
    ['Boolean', 'Float64', 'Float64'],
  ];

  it.each(cases)('%s with %s gives %s, in either order', (a, b, expected) => {
    expect(mergeType(a, b)).toBe(expected);
    expect(mergeType(b, a)).toBe(expected);
  });

  it('keeps a type merged with itself', () => {
    for (const t of FIELD_TYPES) expect(mergeType(t, t)).toBe(t);
  });
});
