import { open, unlink } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { SEGMENT_HEADER_BYTES, encodeSegmentHeader, segmentFileName } from './segment-format.js';
import { syncDir } from './sync-dir.js';

/**
 * The one open, appendable segment. It only ever writes at its own committed size, so a failed
 * write can be cut back off and the file never holds bytes past what was acknowledged.
 */
export class SegmentWriter {
  /** Bytes in the file that are known to be written (header plus whole entries). */
  size = SEGMENT_HEADER_BYTES;
  entries = 0;

  private constructor(
    readonly id: number,
    readonly path: string,
    readonly createdAtMs: number,
    private readonly file: FileHandle,
  ) {}

  /**
   * Creates the segment with its header and syncs the file and the directory before returning,
   * whatever the fsync setting: segments are created rarely, and a synced header means a
   * segment on disk is either absent or starts with a valid header.
   */
  static async create(dir: string, id: number, createdAtMs: number): Promise<SegmentWriter> {
    const path = join(dir, segmentFileName(id));
    const file = await open(path, 'wx');
    try {
      await writeAll(file, [encodeSegmentHeader(id, createdAtMs)], SEGMENT_HEADER_BYTES, 0);
      await file.sync();
      await syncDir(dir);
    } catch (error) {
      await file.close().catch(() => undefined);
      await unlink(path).catch(() => undefined);
      throw error;
    }
    return new SegmentWriter(id, path, createdAtMs, file);
  }

  /**
   * Writes whole frames at the end of the segment. On failure the partial bytes are cut off
   * again; if even that fails, the error says so and the caller must stop using the segment.
   */
  async append(buffers: readonly Uint8Array[], bytes: number, entries: number): Promise<void> {
    const start = this.size;
    try {
      await writeAll(this.file, buffers, bytes, start);
    } catch (error) {
      try {
        await this.file.truncate(start);
      } catch (truncateError) {
        throw new SegmentPoisonedError(error, truncateError);
      }
      throw error;
    }
    this.size = start + bytes;
    this.entries += entries;
  }

  /** fdatasync: the data and the file size, not the timestamps. */
  async sync(): Promise<void> {
    await this.file.datasync();
  }

  async close(): Promise<void> {
    await this.file.close();
  }
}

/** A write failed and cutting it back off failed too: the segment may end in garbage. */
export class SegmentPoisonedError extends Error {
  override readonly name = 'SegmentPoisonedError';
  constructor(
    readonly writeError: unknown,
    readonly truncateError: unknown,
  ) {
    super('wal segment write failed and could not be rolled back', { cause: writeError });
  }
}

async function writeAll(
  file: FileHandle,
  buffers: readonly Uint8Array[],
  bytes: number,
  position: number,
): Promise<void> {
  // libuv already loops over IOV_MAX and short writes; the loop here only guards against a
  // platform where it does not.
  let written = (await file.writev(buffers, position)).bytesWritten;
  while (written < bytes) {
    const rest = remainder(buffers, written);
    const more = (await file.writev(rest, position + written)).bytesWritten;
    if (more === 0) throw new Error(`short write: ${written} of ${bytes} bytes`);
    written += more;
  }
}

function remainder(buffers: readonly Uint8Array[], skip: number): Uint8Array[] {
  const rest: Uint8Array[] = [];
  let left = skip;
  for (const buffer of buffers) {
    if (left >= buffer.byteLength) {
      left -= buffer.byteLength;
      continue;
    }
    rest.push(left > 0 ? buffer.subarray(left) : buffer);
    left = 0;
  }
  return rest;
}
