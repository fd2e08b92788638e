import { AppError } from '@o2/errors';
import { compressSync, uncompressSync } from 'snappy';

/**
 * Remote write bodies are snappy *block* format (not the framed stream format): a varint with
 * the uncompressed length, then the compressed data. The length is read and checked against the
 * caller's limit before anything is allocated, so a 100-byte body that claims 4 GB costs nothing.
 */

/** Largest length a snappy block header can state (a 32-bit varint: at most 5 bytes). */
const MAX_HEADER_BYTES = 5;

/** The uncompressed length a snappy block declares in its header. */
export function snappyDeclaredLength(block: Uint8Array): number {
  let length = 0;
  for (let i = 0; i < MAX_HEADER_BYTES; i++) {
    const byte = block[i];
    if (byte === undefined) break;
    length += (byte & 0x7f) * 2 ** (7 * i);
    if ((byte & 0x80) === 0) {
      if (length > 0xffff_ffff) break;
      return length;
    }
  }
  throw AppError.invalidArgument('invalid snappy data: bad length header');
}

/**
 * Decompresses a snappy block of at most `maxBytes` uncompressed bytes: a larger declared size
 * is PAYLOAD_TOO_LARGE (413) before allocating, corrupt data INVALID_ARGUMENT (400).
 */
export function decompressSnappyBlock(block: Uint8Array, maxBytes: number): Uint8Array {
  const declared = snappyDeclaredLength(block);
  if (declared > maxBytes) {
    throw new AppError(
      'PAYLOAD_TOO_LARGE',
      `remote write body decompresses to ${declared} bytes, more than the limit of ${maxBytes}`,
    );
  }
  let out: Buffer;
  try {
    out = uncompressSync(block, { asBuffer: true }) as Buffer;
  } catch (cause) {
    throw AppError.invalidArgument('invalid snappy data: the body is not snappy-compressed', {
      cause,
    });
  }
  // The decoder trusts the header for the output size; a mismatch means a corrupt block.
  if (out.length !== declared)
    throw AppError.invalidArgument('invalid snappy data: length does not match its header');
  return out;
}

/** Snappy block compression, for senders (tests, benchmarks). */
export function compressSnappyBlock(bytes: Uint8Array): Uint8Array {
  return compressSync(bytes);
}
