import { AppError, isAppError } from '@o2/errors';
import { decompressSnappyBlock } from './snappy-block.js';
import { readWireWriteRequest } from './write-request-reader.js';
import type { WireWriteRequest } from './write-request-reader.js';

/**
 * A remote-write body (snappy block + protobuf `WriteRequest`) as the message. Both failure
 * modes are the sender's fault and answer 4xx: an oversized body 413, corrupt snappy or protobuf
 * 400 — never a 500, which a Prometheus sender would retry forever.
 */
export function readWriteRequest(body: Uint8Array, maxBytes: number): WireWriteRequest {
  const bytes = decompressSnappyBlock(body, maxBytes);
  try {
    return readWireWriteRequest(bytes);
  } catch (cause) {
    if (isAppError(cause)) throw cause;
    // The generated decoder (histograms, metadata) throws plain errors on bad bytes.
    throw AppError.invalidArgument('invalid protobuf: the body is not a remote write request', {
      cause,
    });
  }
}
