import { describe, expect, it } from 'vitest';
import type { FieldType } from './field-type.js';
import { FIELD_TYPES } from './field-type.js';
import { isWidening } from './is-widening.js';

describe('isWidening', () => {
  const widening: [FieldType, FieldType][] = [
    ['Boolean', 'Int64'],
    ['Boolean', 'UInt64'],
    ['Boolean', 'Float64'],
    ['Boolean', 'Utf8'],
    ['Int64', 'UInt64'],
    ['Int64', 'Float64'],
    ['Int64', 'Utf8'],
    ['UInt64', 'Float64'],
    ['UInt64', 'Utf8'],
    ['Float64', 'Utf8'],
  ];

  it.each(widening)('lets a stored %s column become %s', (from, to) => {
    expect(isWidening(from, to)).toBe(true);
  });

  it.each(widening)('never narrows %s back from %s', (to, from) => {
    expect(isWidening(from, to)).toBe(false);
  });

  it('does not count a type as a widening of itself', () => {
    for (const t of FIELD_TYPES) expect(isWidening(t, t)).toBe(false);
  });

  it('never widens Utf8', () => {
    for (const t of FIELD_TYPES) expect(isWidening('Utf8', t)).toBe(false);
  });
});
