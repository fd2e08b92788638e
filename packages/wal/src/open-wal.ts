import { AppError } from '@o2/errors';
import { FileWal } from './file-wal.js';
import { recoverDir } from './recover-dir.js';
import { SEGMENT_HEADER_BYTES, FRAME_HEADER_BYTES } from './segment-format.js';
import { SegmentWriter } from './segment-writer.js';
import type { Wal, WalOptions } from './wal.js';

/**
 * Opens (or creates) the WAL in `options.dir`: cuts a torn tail off the last segment, then
 * starts a fresh segment for this process's appends. Earlier segments stay for `replay`.
 */
export async function openWal(options: WalOptions): Promise<Wal> {
  validate(options);
  const now = options.now ?? Date.now;
  const { closed, nextId, recovery } = await recoverDir(options.dir);
  const writer = await SegmentWriter.create(options.dir, nextId, now());
  return new FileWal({
    dir: options.dir,
    fsync: options.fsync,
    maxSegmentBytes: options.maxSegmentBytes,
    maxSegmentAgeMs: options.maxSegmentAgeMs,
    now,
    closed,
    writer,
    recovery,
  });
}

function validate(options: WalOptions): void {
  if (typeof options.dir !== 'string' || options.dir === '') {
    throw AppError.invalidArgument('wal dir must be a non-empty path');
  }
  const minSegment = SEGMENT_HEADER_BYTES + FRAME_HEADER_BYTES;
  if (!Number.isSafeInteger(options.maxSegmentBytes) || options.maxSegmentBytes <= minSegment) {
    throw AppError.invalidArgument(`wal maxSegmentBytes must be an integer above ${minSegment}`);
  }
  if (!(options.maxSegmentAgeMs > 0)) {
    throw AppError.invalidArgument('wal maxSegmentAgeMs must be positive');
  }
}
