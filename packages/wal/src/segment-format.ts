import { crc32 } from 'node:zlib';

/**
 * The byte layout of a WAL segment. Everything is little-endian.
 *
 * Segment header (32 bytes), written and synced before the segment is used:
 *   0  magic "O2WL"        4  format version (u32)   8  segment id (u64)
 *   16 created at, ms (u64) 24 reserved, zero (u32)  28 CRC-32 of bytes 0..28 (u32)
 *
 * Entry frame: payload length (u32), CRC-32 of (length bytes ++ payload) (u32), payload.
 * The CRC covers the length so that a run of zero bytes (what a filesystem may expose after a
 * power cut) never parses as a valid empty entry.
 */
export const SEGMENT_HEADER_BYTES = 32;
export const FRAME_HEADER_BYTES = 8;
export const FORMAT_VERSION = 1;
/** Above any sane ingest batch; a larger length field can only be garbage. */
export const MAX_ENTRY_BYTES = 1024 * 1024 * 1024;

const MAGIC = Buffer.from('O2WL', 'latin1');
const SEGMENT_NAME = /^(\d{20})\.wal$/;

export function segmentFileName(id: number): string {
  return `${String(id).padStart(20, '0')}.wal`;
}

export function parseSegmentFileName(name: string): number | null {
  const match = SEGMENT_NAME.exec(name);
  if (match?.[1] === undefined) return null;
  const id = Number(match[1]);
  return Number.isSafeInteger(id) && id > 0 ? id : null;
}

export function encodeSegmentHeader(id: number, createdAtMs: number): Buffer {
  const header = Buffer.alloc(SEGMENT_HEADER_BYTES);
  MAGIC.copy(header, 0);
  header.writeUInt32LE(FORMAT_VERSION, 4);
  header.writeBigUInt64LE(BigInt(id), 8);
  header.writeBigUInt64LE(BigInt(Math.max(0, Math.trunc(createdAtMs))), 16);
  header.writeUInt32LE(crc32(header.subarray(0, 28)), 28);
  return header;
}

export interface SegmentHeader {
  id: number;
  createdAtMs: number;
}

/** Returns the header, or why it is not one of ours. */
export function decodeSegmentHeader(header: Uint8Array): SegmentHeader | string {
  const bytes = Buffer.from(header.buffer, header.byteOffset, header.byteLength);
  if (bytes.length < SEGMENT_HEADER_BYTES) return 'short segment header';
  if (!bytes.subarray(0, 4).equals(MAGIC)) return 'bad magic';
  if (bytes.readUInt32LE(28) !== crc32(bytes.subarray(0, 28))) return 'bad segment header crc';
  const version = bytes.readUInt32LE(4);
  if (version !== FORMAT_VERSION) return `unsupported format version ${version}`;
  return {
    id: Number(bytes.readBigUInt64LE(8)),
    createdAtMs: Number(bytes.readBigUInt64LE(16)),
  };
}

/** Frame header for one entry given as one or more chunks (scatter-gather, no concatenation). */
export function encodeFrameHeader(chunks: readonly Uint8Array[], length: number): Buffer {
  const header = Buffer.allocUnsafe(FRAME_HEADER_BYTES);
  header.writeUInt32LE(length, 0);
  let crc = crc32(header.subarray(0, 4));
  for (const chunk of chunks) crc = crc32(chunk, crc);
  header.writeUInt32LE(crc, 4);
  return header;
}

export function frameCrcMatches(frameHeader: Buffer, payload: Uint8Array): boolean {
  const crc = crc32(payload, crc32(frameHeader.subarray(0, 4)));
  return crc === frameHeader.readUInt32LE(4);
}
