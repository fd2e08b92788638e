import { storedFileKey } from '@o2/domain';
import { AppError } from '@o2/errors';
import type { StoredFileEntry } from '@o2/metastore';
import type { HotSnapshot } from './querier-types.js';

/** A snapshot with nothing in it yet (new arrays each time: a query may add to its own). */
export function emptySnapshot(): HotSnapshot {
  return { tables: [], localFiles: [], storedFiles: [], release: () => undefined };
}

const moved = new WeakSet<AppError>();

/**
 * The stored files a settled snapshot holds beyond the querier's first file_list read (files the
 * ingesters uploaded meanwhile). When the snapshot lacks a file of that read, a compaction
 * replaced it while the ingesters were asked: the split already sent to the workers no longer
 * matches, and the query is run again with the snapshot taken first (`isFilesMoved`).
 */
export function addedFiles(
  listed: readonly StoredFileEntry[],
  settled: readonly StoredFileEntry[],
): StoredFileEntry[] {
  const keys = new Set(settled.map(storedFileKey));
  if (!listed.every((f) => keys.has(storedFileKey(f)))) {
    const error = new AppError('UNAVAILABLE', 'stored files changed during the query; retry', {
      retryAfterSeconds: 1,
    });
    moved.add(error);
    throw error;
  }
  const early = new Set(listed.map(storedFileKey));
  return settled.filter((f) => !early.has(storedFileKey(f)));
}

/** Whether `error` is `addedFiles`' "run the query again". */
export function isFilesMoved(error: unknown): boolean {
  return error instanceof AppError && moved.has(error);
}

/** A snapshot stand-in whose release waits for the snapshot under way. */
export function laterRelease(snapshot: Promise<HotSnapshot>): HotSnapshot {
  return {
    ...emptySnapshot(),
    release: () =>
      void snapshot.then(
        (s) => s.release(),
        () => undefined,
      ),
  };
}
