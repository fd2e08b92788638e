import { describe, expect, it } from 'vitest';
import { FILE_ID_PATTERN, FileIdGenerator, fileIdTime, generateFileId } from './file-id.js';

describe('file ids', () => {
  it("look like O2's: a decimal snowflake followed by 4 hex characters", () => {
    const now = Date.UTC(2023, 7, 21, 8, 17, 11, 192);
    const id = new FileIdGenerator({ nodeId: 5 }).next(now);
    expect(id).toMatch(FILE_ID_PATTERN);
    expect(id).toMatch(/^\d{19}[0-9a-f]{4}$/);
    expect(fileIdTime(id)).toBe(now);
    // Same layout as O2's example id 7099303408192061440f3a1: 1692605831192 ms << 22.
    expect(fileIdTime('7099303408192061440f3a1')).toBe(1692605831192);
    expect(BigInt(id.slice(0, -4)) & 0x3fffffn).toBe(5n << 12n);
    expect(generateFileId()).toMatch(FILE_ID_PATTERN);
  });

  it('strictly increase within a generator, even when the clock stalls or steps back', () => {
    const gen = new FileIdGenerator({ nodeId: 1 });
    const now = Date.UTC(2025, 0, 1);
    const clock = [now, now, now, now - 5000, now + 1, now + 1];
    const snowflakes = clock.map((t) => BigInt(gen.next(t).slice(0, -4)));
    for (let i = 1; i < snowflakes.length; i++)
      expect(snowflakes[i]! > snowflakes[i - 1]!).toBe(true);
    // 5000 ids within one millisecond overflow the 12-bit sequence into the next millisecond.
    let last = 0n;
    for (let i = 0; i < 5000; i++) {
      const next = BigInt(gen.next(now).slice(0, -4));
      expect(next > last).toBe(true);
      last = next;
    }
  });

  it('rejects a node id outside 10 bits and text that is not an id', () => {
    expect(() => new FileIdGenerator({ nodeId: 1024 })).toThrow(/nodeId/);
    expect(() => fileIdTime('abc.parquet')).toThrow(/not a file id/);
  });
});
