// Compression codecs beyond node:zlib: LZ4 (own code, lz4.ts), Snappy (snappyjs) and Zstandard
// (fzstd decodes; the encoder writes standard frames of stored blocks, see encodeZstd). The
// packages load on first use, so programs that do not call these pay nothing.
import { createRequire } from 'node:module';
import { bool, fn, functionError, type VrlFunction } from '../function.js';
import { fromBytes, toBytes } from '../bytes.js';
import {
  lz4CompressBlock,
  lz4CompressFrame,
  lz4DecompressBlock,
  lz4DecompressFrame,
} from './lz4.js';

interface Snappy {
  compress(input: Uint8Array): Uint8Array;
  uncompress(input: Uint8Array, maxLength?: number): Uint8Array;
}
interface Fzstd {
  decompress(input: Uint8Array): Uint8Array;
}
const require = createRequire(import.meta.url);
let snappyModule: Snappy | undefined;
let fzstdModule: Fzstd | undefined;
const snappy = (): Snappy => (snappyModule ??= require('snappyjs') as Snappy);
const fzstd = (): Fzstd => (fzstdModule ??= require('fzstd') as Fzstd);

const ZSTD_MAGIC = [0x28, 0xb5, 0x2f, 0xfd];
const ZSTD_MAX_BLOCK = 128 * 1024;

/**
 * A Zstandard frame (RFC 8878) holding the input in raw blocks: window 2 MiB, no content size,
 * no checksum. Every zstd decoder reads it; it is not smaller than the input (no pure-JS zstd
 * compressor is available synchronously), so `compression_level` is accepted and not used.
 */
function encodeZstd(data: Buffer): Buffer {
  const parts: Buffer[] = [Buffer.from([...ZSTD_MAGIC, 0x00, 0x58])];
  let off = 0;
  do {
    const size = Math.min(ZSTD_MAX_BLOCK, data.length - off);
    const last = off + size >= data.length ? 1 : 0;
    const head = (size << 3) | last; // block type 0 = raw
    parts.push(Buffer.from([head & 0xff, (head >> 8) & 0xff, (head >> 16) & 0xff]));
    parts.push(data.subarray(off, off + size));
    off += size;
  } while (off < data.length);
  return Buffer.concat(parts);
}

const decoded = (what: string, f: () => Uint8Array): string => {
  try {
    const out = f();
    return fromBytes(Buffer.from(out.buffer, out.byteOffset, out.byteLength));
  } catch (e) {
    if (e instanceof Error && e.message.startsWith('unable to decode')) throw e;
    throw functionError(`unable to decode value with ${what} decoder`);
  }
};

export const compressFunctions: VrlFunction[] = [
  fn(
    'encode_lz4',
    ['value:string', 'prepend_size:boolean?'],
    ([v, p]) => {
      const data = toBytes(v as string);
      if (!bool(p, true)) return fromBytes(lz4CompressFrame(data));
      const size = Buffer.alloc(4);
      size.writeUInt32LE(data.length);
      return fromBytes(Buffer.concat([size, lz4CompressBlock(data)]));
    },
    { fallible: true },
  ),
  fn(
    'decode_lz4',
    ['value:string', 'buf_size:integer?', 'prepended_size:boolean?'],
    ([v, , p]) => {
      const data = toBytes(v as string);
      if (!bool(p, false)) return decoded('lz4', () => lz4DecompressFrame(data));
      if (data.length < 4) throw functionError('unable to decode value with lz4 decoder');
      return decoded('lz4', () => lz4DecompressBlock(data.subarray(4), data.readUInt32LE(0)));
    },
    { fallible: true },
  ),
  fn(
    'encode_snappy',
    ['value:string'],
    ([v]) => decoded('snappy', () => snappy().compress(toBytes(v as string))),
    { fallible: true },
  ),
  fn(
    'decode_snappy',
    ['value:string'],
    ([v]) => decoded('snappy', () => snappy().uncompress(toBytes(v as string))),
    { fallible: true },
  ),
  fn('encode_zstd', ['value:string', 'compression_level:integer?'], ([v]) =>
    fromBytes(encodeZstd(toBytes(v as string))),
  ),
  fn(
    'decode_zstd',
    ['value:string'],
    ([v]) => decoded('zstd', () => fzstd().decompress(toBytes(v as string))),
    { fallible: true },
  ),
];
