import { promisify } from 'node:util';
import { brotliCompressSync, brotliDecompress, brotliDecompressSync, constants } from 'node:zlib';
import type { BrotliOptions } from 'node:zlib';
import { AppError } from '@o2/errors';

/**
 * A token index as stored beside its data file: the index's bytes (token-index.ts) compressed
 * with brotli, "O2TZ", u8 version, u32 length of the index, then the brotli stream. The sorted
 * token lists that make up most of an index halve under brotli (k8s fixture, 400 k records:
 * 7.1 MB of indexes beside 18.2 MB of Parquet → 3.6 MB), which is most of what the stored
 * indexes cost over the Parquet alone. Quality 2 is where the ratio stops improving much for its
 * CPU (~15 ms per MB to pack, in the niced index worker; ~6 ms per MB to unpack, once per file
 * a querier keeps in its index cache). Indexes stored before this envelope are read as they are.
 */
const MAGIC = [0x4f, 0x32, 0x54, 0x5a]; // "O2TZ"
const VERSION = 1;
const HEADER_BYTES = 9;
const QUALITY = 2;

const decompress = promisify(brotliDecompress);

export function packTokenIndex(index: Uint8Array): Uint8Array {
  const packed = brotliCompressSync(index, {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: QUALITY,
      [constants.BROTLI_PARAM_SIZE_HINT]: index.length,
    },
  });
  const out = new Uint8Array(HEADER_BYTES + packed.length);
  out.set(MAGIC, 0);
  out[4] = VERSION;
  new DataView(out.buffer).setUint32(5, index.length);
  out.set(packed, HEADER_BYTES);
  return out;
}

export function isPackedTokenIndex(bytes: Uint8Array): boolean {
  return bytes.length >= HEADER_BYTES && MAGIC.every((b, i) => bytes[i] === b);
}

const damaged = (cause?: unknown): AppError =>
  AppError.invalidArgument('not a token index (packed)', cause === undefined ? {} : { cause });

/**
 * The stream, the options that cap its output at the length the envelope gives (a corrupt
 * stream cannot grow past it), and a check of what it unpacked to.
 */
function envelope(bytes: Uint8Array): {
  stream: Uint8Array;
  options: BrotliOptions;
  checked: (unpacked: Buffer) => Uint8Array;
} {
  if (bytes[4] !== VERSION) throw damaged();
  const length = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(5);
  return {
    stream: bytes.subarray(HEADER_BYTES),
    options: { maxOutputLength: Math.max(1, length) },
    checked: (unpacked) => {
      if (unpacked.length !== length) throw damaged();
      return new Uint8Array(unpacked.buffer, unpacked.byteOffset, unpacked.byteLength);
    },
  };
}

/** The index inside a stored token index, on this thread (indexes stored unpacked pass as they are). */
export function unpackTokenIndexSync(bytes: Uint8Array): Uint8Array {
  if (!isPackedTokenIndex(bytes)) return bytes;
  const { stream, options, checked } = envelope(bytes);
  let unpacked: Buffer;
  try {
    unpacked = brotliDecompressSync(stream, options);
  } catch (error) {
    throw damaged(error);
  }
  return checked(unpacked);
}

/**
 * The index inside a stored token index, unpacked on libuv's thread pool so a query meeting many
 * files for the first time does not hold the event loop for their decompression.
 */
export async function unpackTokenIndex(bytes: Uint8Array): Promise<Uint8Array> {
  if (!isPackedTokenIndex(bytes)) return bytes;
  const { stream, options, checked } = envelope(bytes);
  let unpacked: Buffer;
  try {
    unpacked = await decompress(stream, options);
  } catch (error) {
    throw damaged(error);
  }
  return checked(unpacked);
}
