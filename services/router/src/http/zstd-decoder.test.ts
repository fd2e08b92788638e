import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { AppError } from '@o2/errors';
import { ZstdDecoder, boundZstdWindows } from './zstd-decoder.js';

const MAGIC = [0x28, 0xb5, 0x2f, 0xfd];

/** One frame of raw blocks (no compression), with the header fields a test wants. */
function rawFrame(
  data: Buffer,
  header: { windowDescriptor?: number; contentSize8?: number } = {},
): Buffer {
  const parts: number[] = [...MAGIC];
  if (header.contentSize8 !== undefined) {
    // Frame_Content_Size_flag = 3 (8 bytes), not single segment, so a window byte follows.
    parts.push(0b1100_0000, header.windowDescriptor ?? 0);
    const size = Buffer.alloc(8);
    size.writeBigUInt64LE(BigInt(header.contentSize8));
    parts.push(...size);
  } else {
    parts.push(0b0000_0000, header.windowDescriptor ?? 0);
  }
  const blockHeader = ((data.length << 3) | 1) >>> 0; // last block, raw
  parts.push(blockHeader & 0xff, (blockHeader >> 8) & 0xff, (blockHeader >> 16) & 0xff);
  return Buffer.concat([Buffer.from(parts), data]);
}

async function decode(input: Buffer, limit: number): Promise<string> {
  const decoder = Readable.from([input]).pipe(new ZstdDecoder(limit));
  const chunks: Buffer[] = [];
  for await (const chunk of decoder) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString();
}

describe('zstd decoding', () => {
  it('decodes a frame whose header asks for a 2 GiB window within a small one', async () => {
    // Exponent 21 → 2^31: left unchanged, fzstd refuses it (a notch lower, it allocates it all).
    const frame = rawFrame(Buffer.from('{"a":1}'), { windowDescriptor: 21 << 3 });
    await expect(decode(frame, 4096)).resolves.toBe('{"a":1}');
  });

  it('rewrites only windows above what the limit needs, never below 128 KiB', () => {
    const huge = rawFrame(Buffer.from('x'), { windowDescriptor: 21 << 3 });
    boundZstdWindows(huge, 4096);
    expect(huge[5]).toBe((17 - 10) << 3);
    const large = rawFrame(Buffer.from('x'), { windowDescriptor: 21 << 3 });
    boundZstdWindows(large, 200 * 1024 * 1024);
    expect(large[5]).toBe((28 - 10) << 3);
    const small = rawFrame(Buffer.from('x'), { windowDescriptor: 3 << 3 });
    boundZstdWindows(small, 4096);
    expect(small[5]).toBe(3 << 3);
  });

  it('refuses a declared content size over the limit before decoding anything', async () => {
    const frame = rawFrame(Buffer.from('{}'), { contentSize8: 2 ** 40 });
    const failure = await decode(frame, 4096).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(AppError);
    expect((failure as AppError).code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('refuses output past the limit and reports corrupt input as INVALID_ARGUMENT', async () => {
    const big = rawFrame(Buffer.alloc(5000, 'a'));
    expect(((await decode(big, 4096).catch((e: unknown) => e)) as AppError).code).toBe(
      'PAYLOAD_TOO_LARGE',
    );
    for (const bad of [Buffer.from('plain text'), rawFrame(Buffer.from('abc')).subarray(0, 8)]) {
      const failure = (await decode(bad, 4096).catch((e: unknown) => e)) as AppError;
      expect(failure.code).toBe('INVALID_ARGUMENT');
    }
  });

  it('skips skippable frames', async () => {
    const skippable = Buffer.from([0x50, 0x2a, 0x4d, 0x18, 3, 0, 0, 0, 1, 2, 3]);
    const frame = rawFrame(Buffer.from('ok'));
    await expect(decode(Buffer.concat([skippable, frame]), 4096)).resolves.toBe('ok');
  });
});
