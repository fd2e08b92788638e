import { fromBinary } from '@bufbuild/protobuf';
import { AppError } from '@o2/errors';
import { prometheus } from '@o2/proto';
import { decompressSnappyBlock } from './snappy-block.js';

/**
 * A remote-write body (snappy block + protobuf `WriteRequest`) as the message. Both failure
 * modes are the sender's fault and answer 4xx: an oversized body 413, corrupt snappy or protobuf
 * 400 — never a 500, which a Prometheus sender would retry forever.
 */
export function readWriteRequest(body: Uint8Array, maxBytes: number): prometheus.WriteRequest {
  const bytes = decompressSnappyBlock(body, maxBytes);
  try {
    return fromBinary(prometheus.WriteRequestSchema, bytes);
  } catch (cause) {
    throw AppError.invalidArgument('invalid protobuf: the body is not a remote write request', {
      cause,
    });
  }
}
