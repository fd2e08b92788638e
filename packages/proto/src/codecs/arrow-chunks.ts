/** Well under any gRPC message limit, large enough that a chunk's overhead is nothing. */
export const ARROW_CHUNK_BYTES = 4 * 1024 * 1024;

/**
 * The bytes of one Arrow IPC stream cut into the `arrow_ipc` chunks of a response stream (see
 * scan.proto); the receiver concatenates them in order. Chunks are views, not copies.
 */
export function* arrowChunks(
  bytes: Uint8Array,
  chunkBytes: number = ARROW_CHUNK_BYTES,
): Generator<Uint8Array> {
  for (let at = 0; at < bytes.byteLength; at += chunkBytes)
    yield bytes.subarray(at, Math.min(at + chunkBytes, bytes.byteLength));
}
