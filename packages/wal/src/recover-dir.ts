import { mkdir, open, readdir, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { AppError } from '@o2/errors';
import { parseSegmentFileName, segmentFileName } from './segment-format.js';
import { SegmentScan } from './segment-reader.js';
import type { SegmentEnd, StopReason } from './segment-reader.js';
import { syncDir } from './sync-dir.js';

/** What opening the WAL did to the tail of the last segment it found. */
export interface TailRecovery {
  /** The last segment found on disk, or null for an empty directory. */
  segment: number | null;
  /** Intact entries kept in that segment. */
  entries: number;
  /** Bytes cut off its end (0 when it ended cleanly). */
  truncatedBytes: number;
  /** Offset the segment was cut at, when it was. */
  truncatedAt: number | null;
  /** Why the bytes were cut, when they were. */
  reason: StopReason | null;
}

export interface ClosedSegment {
  id: number;
  path: string;
  bytes: number;
}

export interface RecoveredDir {
  closed: ClosedSegment[];
  nextId: number;
  recovery: TailRecovery;
}

/**
 * Prepares a WAL directory for a new writer. Only the last segment can legitimately end in a
 * torn write (every earlier one was synced before its successor was created), so only it is
 * scanned and cut back to its last intact entry; a segment left holding no entries is removed.
 * Earlier segments are checked by `replay`, where bad bytes are corruption, not a torn tail.
 */
export async function recoverDir(dir: string): Promise<RecoveredDir> {
  await mkdir(dir, { recursive: true });
  const ids = (await readdir(dir))
    .map(parseSegmentFileName)
    .filter((id): id is number => id !== null)
    .sort((a, b) => a - b);
  const lastId = ids.at(-1);
  if (lastId === undefined) {
    return {
      closed: [],
      nextId: 1,
      recovery: { segment: null, entries: 0, truncatedBytes: 0, truncatedAt: null, reason: null },
    };
  }
  const lastPath = segmentPath(dir, lastId);
  const end = await scanToEnd(lastPath, lastId);
  const size = (await stat(lastPath)).size;

  // A header that is all there but wrong is not a torn write (headers are synced before the
  // segment is used): it is someone else's file or damage, and cutting it would destroy data.
  if (end.kind === 'stopped' && end.reason === 'bad-segment-header') {
    throw AppError.internal(
      `wal segment ${lastPath} has an invalid header (${end.detail}); refusing to touch it`,
    );
  }
  const keep = end.kind === 'clean' ? end.end : end.offset;
  const recovery: TailRecovery = {
    segment: lastId,
    entries: end.entries,
    truncatedBytes: size - keep,
    truncatedAt: end.kind === 'stopped' ? end.offset : null,
    reason: end.kind === 'stopped' ? end.reason : null,
  };

  const closed: ClosedSegment[] = [];
  for (const id of ids.slice(0, -1)) {
    const path = segmentPath(dir, id);
    closed.push({ id, path, bytes: (await stat(path)).size });
  }
  if (end.entries === 0) {
    // Header only (or not even that): nothing to replay, and a fresh segment follows anyway.
    await unlink(lastPath);
    await syncDir(dir);
  } else {
    await cutAndSync(lastPath, keep, size);
    closed.push({ id: lastId, path: lastPath, bytes: keep });
  }
  return { closed, nextId: lastId + 1, recovery };
}

export function segmentPath(dir: string, id: number): string {
  return join(dir, segmentFileName(id));
}

async function scanToEnd(path: string, id: number): Promise<SegmentEnd> {
  const scan = new SegmentScan(path, { id, copy: false });
  for await (const _record of scan);
  return scan.end;
}

/**
 * Synced even when nothing was cut: the previous process may have died with this segment's
 * tail only in the page cache, and once the next segment exists, a power cut must not be able
 * to tear what is then no longer the last segment.
 */
async function cutAndSync(path: string, keep: number, size: number): Promise<void> {
  const file = await open(path, 'r+');
  try {
    if (keep < size) await file.truncate(keep);
    await file.sync();
  } finally {
    await file.close();
  }
}
