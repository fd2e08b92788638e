import { describe, expect, it } from 'vitest';
import { unionSchema, widerType } from './union-schema.js';

describe('unionSchema', () => {
  it('keeps first-seen order and widens int → float → string', () => {
    expect(widerType('Int64', 'UInt64')).toBe('Float64');
    expect(widerType('Boolean', 'Int64')).toBe('Utf8');
    expect(widerType('Float64', 'Utf8')).toBe('Utf8');
    expect(
      unionSchema([
        [
          { name: 'a', type: 'Int64' },
          { name: 'b', type: 'Boolean' },
        ],
        [
          { name: 'c', type: 'Utf8' },
          { name: 'a', type: 'Float64' },
          { name: 'b', type: 'Boolean' },
        ],
      ]),
    ).toEqual([
      { name: 'a', type: 'Float64' },
      { name: 'b', type: 'Boolean' },
      { name: 'c', type: 'Utf8' },
    ]);
  });
});
