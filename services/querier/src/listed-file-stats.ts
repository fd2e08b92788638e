import { resolve } from 'node:path';
import type { StoredFileEntry } from '@o2/metastore';
import type { StreamSource } from '@o2/search';

/**
 * What the file list says of stored files, keyed by the local path the engine reads
 * (`paths[i]` holds `entries[i]`): their sizes, which version the engine's per-file caches (no
 * `stat` per query), and their rows and `_timestamp` bounds, so a file met for the first time
 * costs no footer statistics read. Nothing when there are no files.
 */
export function listedFiles(
  entries: readonly StoredFileEntry[],
  paths: readonly string[],
): Pick<StreamSource, 'fileSizes' | 'fileStats'> {
  if (entries.length === 0) return {};
  const keys = entries.map((_, i) => resolve(paths[i]!));
  return {
    fileSizes: new Map(entries.map((f, i) => [keys[i]!, f.compressedSize])),
    fileStats: new Map(
      entries.map((f, i) => [keys[i]!, { records: f.records, minTs: f.minTs, maxTs: f.maxTs }]),
    ),
  };
}
