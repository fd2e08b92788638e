import { Transform } from 'node:stream';
import type { TransformCallback } from 'node:stream';
import { Decompress } from 'fzstd';
import { AppError } from '@o2/errors';

const ZSTD_MAGIC = 0xfd2fb528;
const SKIPPABLE_MAGIC_MASK = 0xfffffff0;
const SKIPPABLE_MAGIC = 0x184d2a50;
/** fzstd sizes its block buffer as min(window, 128 KiB), so no window may go below that. */
const MIN_WINDOW_LOG = 17;
/** fzstd is handed the input in slices so a single `push` never decodes a whole large body. */
const PUSH_SLICE = 64 * 1024;

function corrupt(reason: string): AppError {
  return AppError.invalidArgument(`failed to decompress request body (zstd): ${reason}`);
}

function tooLarge(limit: number): AppError {
  return new AppError(
    'PAYLOAD_TOO_LARGE',
    `Decompressed request body is larger than the limit of ${limit} bytes`,
  );
}

function readLittleEndian(bytes: Uint8Array, at: number, length: number): number {
  let value = 0;
  for (let i = length - 1; i >= 0; i--) value = value * 256 + (bytes[at + i] ?? 0);
  return value;
}

/**
 * Walks the frames of a zstd body without decoding them, refuses any frame whose declared
 * content size exceeds `limit`, and shrinks any window larger than needed for `limit` bytes of
 * output. fzstd allocates a frame's whole window up front (up to 2 GiB as the header asks), so
 * this is what keeps a 20-byte header from reserving gigabytes. Shrinking is sound: a match can
 * reach back at most as far as the output so far, which decoding keeps within `limit`, and
 * the window never goes below 128 KiB, the largest block. Rewrites `input` in place.
 */
export function boundZstdWindows(input: Uint8Array, limit: number): void {
  const windowLog = Math.max(MIN_WINDOW_LOG, Math.ceil(Math.log2(Math.max(limit, 1))));
  const view = new DataView(input.buffer, input.byteOffset, input.byteLength);
  const need = (at: number, length: number): void => {
    if (at + length > input.length) throw corrupt('truncated frame');
  };
  let pos = 0;
  while (pos < input.length) {
    need(pos, 4);
    const magic = view.getUint32(pos, true);
    if ((magic & SKIPPABLE_MAGIC_MASK) >>> 0 === SKIPPABLE_MAGIC) {
      need(pos, 8);
      pos += 8 + view.getUint32(pos + 4, true);
      if (pos > input.length) throw corrupt('truncated skippable frame');
      continue;
    }
    if (magic !== ZSTD_MAGIC) throw corrupt('not a zstd frame');
    need(pos, 5);
    const descriptor = input[pos + 4] ?? 0;
    const contentSizeFlag = descriptor >> 6;
    const singleSegment = (descriptor >> 5) & 1;
    const hasChecksum = (descriptor >> 2) & 1;
    const dictionaryIdFlag = descriptor & 3;
    if ((descriptor >> 3) & 1) throw corrupt('reserved bit set in frame header');
    let p = pos + 5;
    if (singleSegment === 0) {
      need(p, 1);
      const windowDescriptor = input[p] ?? 0;
      const base = 2 ** (10 + (windowDescriptor >> 3));
      const windowSize = base + (base / 8) * (windowDescriptor & 7);
      if (windowSize > 2 ** windowLog) input[p] = (windowLog - 10) << 3;
      p += 1;
    }
    p += [0, 1, 2, 4][dictionaryIdFlag] ?? 0;
    const contentSizeBytes =
      contentSizeFlag === 0 ? singleSegment : ([0, 2, 4, 8][contentSizeFlag] ?? 0);
    need(p, contentSizeBytes);
    if (contentSizeBytes > 0) {
      const contentSize =
        readLittleEndian(input, p, contentSizeBytes) + (contentSizeBytes === 2 ? 256 : 0);
      // A single-segment frame's window is its content size, so this bounds that window too.
      if (contentSize > limit) throw tooLarge(limit);
    }
    p += contentSizeBytes;
    for (;;) {
      need(p, 3);
      const header = readLittleEndian(input, p, 3);
      const blockType = (header >> 1) & 3;
      p += 3;
      if (blockType === 3) throw corrupt('reserved block type');
      p += blockType === 1 ? 1 : header >>> 3;
      if (p > input.length) throw corrupt('truncated block');
      if ((header & 1) === 1) break;
    }
    p += hasChecksum * 4;
    if (p > input.length) throw corrupt('truncated checksum');
    pos = p;
  }
}

/**
 * `Content-Encoding: zstd` for Node 20, whose zlib has no zstd. The compressed body (already
 * bounded by ZO_PAYLOAD_LIMIT) is collected, its frame headers checked, then decoded block by
 * block; decoding stops as soon as the output passes `limit`, so a zstd bomb costs at most one
 * block (128 KiB) beyond the limit.
 */
export class ZstdDecoder extends Transform {
  private readonly input: Buffer[] = [];

  constructor(private readonly limit: number) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback) {
    this.input.push(chunk);
    callback();
  }

  override _flush(callback: TransformCallback) {
    try {
      const input = Buffer.concat(this.input);
      this.input.length = 0;
      if (input.length === 0) throw corrupt('empty body');
      boundZstdWindows(input, this.limit);
      let produced = 0;
      const decoder = new Decompress((data) => {
        produced += data.length;
        if (produced > this.limit) throw tooLarge(this.limit);
        this.push(Buffer.from(data));
      });
      for (let at = 0; at < input.length; at += PUSH_SLICE) {
        const end = Math.min(at + PUSH_SLICE, input.length);
        decoder.push(input.subarray(at, end), end === input.length);
      }
      callback();
    } catch (error) {
      callback(error instanceof AppError ? error : corrupt(String((error as Error).message)));
    }
  }
}
