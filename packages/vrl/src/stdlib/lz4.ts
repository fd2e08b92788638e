// LZ4, written from the LZ4 block and frame format descriptions: the block format (optionally
// after a 4-byte little-endian uncompressed size, as `prepended_size` reads it) and the frame
// format (magic 0x184D2204). Compression is a greedy single-pass match finder.
import { functionError } from '../function.js';
import { xxh32 } from './hash-xx.js';

const MIN_MATCH = 4;
const LAST_LITERALS = 5;
const MF_LIMIT = 12;

/** Decodes one block into `out` from `pos`; matches may reach back before `pos` (linked blocks). */
function decodeBlock(src: Buffer, out: number[]): void {
  const bad = (): never => {
    throw functionError('unable to decode value with lz4 decoder: corrupt block');
  };
  let i = 0;
  while (i < src.length) {
    const token = src[i++] as number;
    let lit = token >> 4;
    if (lit === 15) {
      let b: number;
      do {
        if (i >= src.length) bad();
        b = src[i++] as number;
        lit += b;
      } while (b === 255);
    }
    if (i + lit > src.length) bad();
    for (let k = 0; k < lit; k++) out.push(src[i++] as number);
    if (i >= src.length) break; // the last sequence has literals only
    if (i + 2 > src.length) bad();
    const offset = (src[i] as number) | ((src[i + 1] as number) << 8);
    i += 2;
    if (offset === 0 || offset > out.length) bad();
    let len = (token & 15) + MIN_MATCH;
    if ((token & 15) === 15) {
      let b: number;
      do {
        if (i >= src.length) bad();
        b = src[i++] as number;
        len += b;
      } while (b === 255);
    }
    const from = out.length - offset;
    for (let k = 0; k < len; k++) out.push(out[from + k] as number);
  }
}

function writeLength(out: number[], n: number): void {
  while (n >= 255) {
    out.push(255);
    n -= 255;
  }
  out.push(n);
}

function sequence(
  out: number[],
  src: Buffer,
  litStart: number,
  litEnd: number,
  match?: [number, number],
): void {
  const lit = litEnd - litStart;
  const ml = match === undefined ? 0 : match[1] - MIN_MATCH;
  out.push((Math.min(lit, 15) << 4) | Math.min(ml, 15));
  if (lit >= 15) writeLength(out, lit - 15);
  for (let k = litStart; k < litEnd; k++) out.push(src[k] as number);
  if (match === undefined) return;
  out.push(match[0] & 0xff, match[0] >> 8);
  if (ml >= 15) writeLength(out, ml - 15);
}

export function lz4CompressBlock(src: Buffer): Buffer {
  const out: number[] = [];
  const table = new Map<number, number>();
  const limit = src.length - MF_LIMIT;
  let anchor = 0;
  let i = 0;
  while (i < limit) {
    const key = src.readUInt32LE(i);
    const cand = table.get(key);
    table.set(key, i);
    if (cand === undefined || i - cand > 0xffff) {
      i++;
      continue;
    }
    let len = MIN_MATCH;
    while (i + len < src.length - LAST_LITERALS && src[cand + len] === src[i + len]) len++;
    sequence(out, src, anchor, i, [i - cand, len]);
    i += len;
    anchor = i;
  }
  sequence(out, src, anchor, src.length);
  return Buffer.from(out);
}

export function lz4DecompressBlock(src: Buffer, expected?: number): Buffer {
  const out: number[] = [];
  decodeBlock(src, out);
  if (expected !== undefined && out.length !== expected)
    throw functionError('unable to decode value with lz4 decoder: size mismatch');
  return Buffer.from(out);
}

const MAGIC = 0x184d2204;

export function lz4DecompressFrame(src: Buffer): Buffer {
  const bad = (what: string): never => {
    throw functionError(`unable to decode value with lz4 frame decoder: ${what}`);
  };
  if (src.length < 7 || src.readUInt32LE(0) !== MAGIC) bad('not an lz4 frame');
  const flg = src[4] as number;
  if (flg >> 6 !== 1) bad('unsupported frame version');
  let i = 6 + (flg & 8 ? 8 : 0) + (flg & 1 ? 4 : 0) + 1; // FLG BD [size] [dict] HC
  const out: number[] = [];
  for (;;) {
    if (i + 4 > src.length) bad('truncated frame');
    const word = src.readUInt32LE(i);
    i += 4;
    if (word === 0) break;
    const size = word & 0x7fffffff;
    if (i + size > src.length) bad('truncated block');
    const block = src.subarray(i, i + size);
    if (word & 0x80000000) for (const b of block) out.push(b);
    else decodeBlock(block, out);
    i += size + (flg & 0x10 ? 4 : 0);
  }
  return Buffer.from(out);
}

/** A frame of independent blocks (64 KiB each), no checksums. */
export function lz4CompressFrame(src: Buffer): Buffer {
  const descriptor = Buffer.from([0x60, 0x40]); // version 1, independent blocks; 64 KiB blocks
  const check = (xxh32(descriptor) >>> 8) & 0xff;
  const parts: Buffer[] = [Buffer.from([0x04, 0x22, 0x4d, 0x18, ...descriptor, check])];
  for (let off = 0; off < src.length; off += 0x10000) {
    const chunk = src.subarray(off, off + 0x10000);
    const packed = lz4CompressBlock(chunk);
    const raw = packed.length >= chunk.length;
    const head = Buffer.alloc(4);
    head.writeUInt32LE(((raw ? chunk.length : packed.length) | (raw ? 0x80000000 : 0)) >>> 0);
    parts.push(head, raw ? chunk : packed);
  }
  parts.push(Buffer.alloc(4));
  return Buffer.concat(parts);
}
