import { isAppError } from '@o2/errors';
import { describe, expect, it } from 'vitest';
import { readWriteRequest } from './read-write-request.js';
import {
  compressSnappyBlock,
  decompressSnappyBlock,
  snappyDeclaredLength,
} from './snappy-block.js';

function errorOf(run: () => unknown): { code: string; message: string } {
  try {
    run();
  } catch (error) {
    if (isAppError(error)) return { code: error.code, message: error.message };
    throw error;
  }
  throw new Error('expected an AppError');
}

describe('snappy block', () => {
  it('round-trips and reads the uncompressed length from the header', () => {
    const text = new TextEncoder().encode('remote write '.repeat(1000));
    const block = compressSnappyBlock(text);
    expect(block.length).toBeLessThan(text.length);
    expect(snappyDeclaredLength(block)).toBe(text.length);
    expect(Buffer.compare(decompressSnappyBlock(block, text.length), text)).toBe(0);
  });

  it('refuses a body larger than the limit with 413, from the header alone', () => {
    const block = compressSnappyBlock(new Uint8Array(10_000));
    expect(errorOf(() => decompressSnappyBlock(block, 9_999))).toMatchObject({
      code: 'PAYLOAD_TOO_LARGE',
    });
    // A 6-byte body claiming 4 GiB - 1: refused before anything of that size is allocated.
    const bomb = Uint8Array.of(0xff, 0xff, 0xff, 0xff, 0x0f, 0x00);
    expect(snappyDeclaredLength(bomb)).toBe(0xffff_ffff);
    expect(errorOf(() => decompressSnappyBlock(bomb, 200 * 1024 * 1024))).toMatchObject({
      code: 'PAYLOAD_TOO_LARGE',
      message: expect.stringContaining('4294967295') as unknown,
    });
  });

  it('answers 400 for corrupt, truncated or headerless data', () => {
    const block = compressSnappyBlock(new TextEncoder().encode('hello hello hello hello'));
    const corrupt = Uint8Array.from(block);
    corrupt[1] = 0xf0; // the first tag now claims a literal longer than the block
    for (const bad of [
      corrupt,
      block.subarray(0, block.length - 2),
      new Uint8Array(0),
      Uint8Array.of(0x80, 0x80, 0x80, 0x80, 0x80, 0x80),
      new TextEncoder().encode('{"not":"snappy"}'),
    ]) {
      expect(errorOf(() => decompressSnappyBlock(bad, 1 << 20))).toMatchObject({
        code: 'INVALID_ARGUMENT',
        message: expect.stringContaining('invalid snappy data') as unknown,
      });
    }
  });

  it('answers 400 when the snappy body is not a WriteRequest', () => {
    const garbage = compressSnappyBlock(Uint8Array.of(0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f, 1));
    expect(errorOf(() => readWriteRequest(garbage, 1 << 20))).toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: expect.stringContaining('invalid protobuf') as unknown,
    });
  });
});
