import { storedObjectKeys } from '@o2/domain';
import type { Logger } from '@o2/logger';
import type { MetaStore } from '@o2/metastore';
import type { ObjectStore } from '@o2/storage';

const BATCH = 1000;

/**
 * One pass of file_list upkeep: files marked deleted (stream deletion, later compaction) longer
 * ago than the delay lose their objects — the Parquet file and its `.tokens` index — and then
 * their rows. Objects go first, so a crash in between only repeats a delete of nothing.
 * Returns how many files were purged.
 */
export async function purgeDeletedFiles(
  deps: { metaStore: MetaStore; objectStore: ObjectStore; logger: Logger },
  olderThan: number,
): Promise<number> {
  let purged = 0;
  for (;;) {
    const deleted = await deps.metaStore.fileList.listDeleted(olderThan, BATCH);
    if (deleted.length === 0) return purged;
    const keys = deleted.flatMap(storedObjectKeys);
    await deps.objectStore.deleteMany(keys);
    await deps.metaStore.fileList.purgeDeleted(deleted);
    purged += deleted.length;
    deps.logger.info({ files: deleted.length }, 'purged deleted files');
    if (deleted.length < BATCH) return purged;
  }
}
