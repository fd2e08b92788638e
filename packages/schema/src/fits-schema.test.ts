import { describe, expect, it } from 'vitest';
import { conformInPlace } from './conform-record.js';
import { evolveSchema } from './evolve-schema.js';
import type { FieldType, Schema } from './field-type.js';
import { FIELD_TYPES } from './field-type.js';
import type { FlatRecord, FlatValue } from './flat-record.js';
import { fitsSchema } from './fits-schema.js';

const VALUES: FlatValue[] = [
  'text',
  '12',
  true,
  false,
  0,
  -3,
  7.5,
  2 ** 53,
  2 ** 63,
  2 ** 64,
  -(2 ** 63),
  1e300,
  5n,
  -5n,
  2n ** 63n,
  2n ** 64n,
];

function schemaWith(type: FieldType): Schema {
  return [
    { name: '_timestamp', type: 'Int64' },
    { name: 'v', type },
  ];
}

describe('fitsSchema', () => {
  it('answers true only where evolving changes nothing and conforming casts nothing', () => {
    let fitting = 0;
    for (const type of FIELD_TYPES)
      for (const value of VALUES) {
        const schema = schemaWith(type);
        const record: FlatRecord = { _timestamp: 1, v: value };
        if (!fitsSchema([record], schema)) continue;
        fitting++;
        expect(evolveSchema(schema, [record]).changed, `${type} ${String(value)}`).toBe(false);
        expect(conformInPlace(record, schema)).toBeUndefined();
        expect(record.v).toBe(value);
      }
    expect(fitting).toBeGreaterThan(10);
  });

  it('answers false for a value of another type, even one conform would cast', () => {
    expect(fitsSchema([{ _timestamp: 1, v: 200 }], schemaWith('Utf8'))).toBe(false);
    expect(fitsSchema([{ _timestamp: 1, v: 'x' }], schemaWith('Int64'))).toBe(false);
    expect(fitsSchema([{ _timestamp: 1, v: 1.5 }], schemaWith('Int64'))).toBe(false);
  });

  it('answers false for a column the schema lacks and for a null value', () => {
    expect(fitsSchema([{ _timestamp: 1, v: 'a', w: 'b' }], schemaWith('Utf8'))).toBe(false);
    const withNull = { _timestamp: 1, v: null } as unknown as FlatRecord;
    expect(fitsSchema([withNull], schemaWith('Utf8'))).toBe(false);
  });

  it('answers false unless _timestamp is stored as Int64', () => {
    expect(fitsSchema([], [{ name: 'v', type: 'Utf8' }])).toBe(false);
    expect(fitsSchema([], [{ name: '_timestamp', type: 'Float64' }])).toBe(false);
    expect(fitsSchema([], schemaWith('Utf8'))).toBe(true);
  });

  it('answers false when a pinned column is stored with another type', () => {
    const pinned = new Map<string, FieldType>([['v', 'Float64']]);
    expect(fitsSchema([{ _timestamp: 1, v: 3 }], schemaWith('Int64'), pinned)).toBe(false);
    expect(fitsSchema([{ _timestamp: 1, v: 3 }], schemaWith('Float64'), pinned)).toBe(true);
  });
});
