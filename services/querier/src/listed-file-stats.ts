import { resolve } from 'node:path';
import type { StoredFileEntry } from '@o2/metastore';
import type { ListedFileStats } from '@o2/search';

/**
 * Rows and `_timestamp` bounds of stored files as the file list has them, keyed by the local
 * path the engine reads (`paths[i]` holds `entries[i]`): the engine then reads no footer
 * statistics for a file it meets for the first time (`StreamSource.fileStats`).
 */
export function listedStats(
  entries: readonly StoredFileEntry[],
  paths: readonly string[],
): Map<string, ListedFileStats> {
  return new Map(
    entries.map((f, i) => [
      resolve(paths[i]!),
      { records: f.records, minTs: f.minTs, maxTs: f.maxTs },
    ]),
  );
}
