import { storedObjectKeys } from '@o2/domain';
import type { Logger } from '@o2/logger';
import type { MetaStore } from '@o2/metastore';
import type { ObjectStore } from '@o2/storage';

const BATCH = 1000;

/**
 * How long before a running query's start a mark must be for the query to surely not have
 * listed the file: a mark's time is taken before its transaction commits, so a query that began
 * just after it may still have read the file list without the mark.
 */
export const MARK_MARGIN_MS = 60_000;

/** The stored-file reads of this process: when its oldest running query began, if one runs. */
export interface RunningReads {
  oldestSince(): number | undefined;
}

/**
 * The purge cutoff the same-process queries allow (see `CompactorDeps.storedFileReads`), or
 * undefined when readers run elsewhere: marks older than the oldest running query (or now, when
 * none runs) by {@link MARK_MARGIN_MS}.
 */
export function inProcessCutoff(reads: RunningReads | undefined, now: number): number | undefined {
  if (reads === undefined) return undefined;
  return Math.min(now, reads.oldestSince() ?? now) - MARK_MARGIN_MS;
}

/**
 * One pass of file_list upkeep: files marked deleted (stream deletion, later compaction) longer
 * ago than the delay lose their objects — the Parquet file and its `.tokens` index — and then
 * their rows. Objects go first, so a crash in between only repeats a delete of nothing.
 * With `earlyCutoff` (single node), files marked before it go too, except enrichment tables'
 * (their loader reads files outside the queries the cutoff accounts for).
 * Returns how many files were purged.
 */
export async function purgeDeletedFiles(
  deps: { metaStore: MetaStore; objectStore: ObjectStore; logger: Logger },
  olderThan: number,
  earlyCutoff?: number,
): Promise<number> {
  let purged = await purgeBefore(deps, olderThan, () => true);
  if (earlyCutoff !== undefined && earlyCutoff > olderThan) {
    purged += await purgeBefore(deps, earlyCutoff, (f) => f.type !== 'enrichment_tables');
  }
  return purged;
}

async function purgeBefore(
  deps: { metaStore: MetaStore; objectStore: ObjectStore; logger: Logger },
  before: number,
  purgeable: (file: { type: string }) => boolean,
): Promise<number> {
  let purged = 0;
  for (;;) {
    const listed = await deps.metaStore.fileList.listDeleted(before, BATCH);
    const deleted = listed.filter(purgeable);
    if (deleted.length === 0) return purged;
    const keys = deleted.flatMap(storedObjectKeys);
    await deps.objectStore.deleteMany(keys);
    await deps.metaStore.fileList.purgeDeleted(deleted);
    purged += deleted.length;
    deps.logger.info({ files: deleted.length }, 'purged deleted files');
    // Files left out stay listed first: a full batch of them ends this pass (next one retries).
    if (listed.length < BATCH || deleted.length < listed.length) return purged;
  }
}
