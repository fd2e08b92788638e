import type { FileEntry } from '@o2/domain';
import type { StoredFileEntry } from '@o2/metastore';
import { storedEntryOf } from './stored-entry-of.js';

const fileKey = (f: { date: string; file: string }) => `${f.date}/${f.file}`;

export interface JoinedFileLists {
  /** The querier's file_list read plus the files every ingester saw registered since. */
  files: StoredFileEntry[];
  /** Whether any file came from the ingesters (not in the querier's own read). */
  joined: boolean;
  /**
   * False when the ingesters disagree on a file the querier's read lacked: some saw it
   * registered, some did not. The snapshot must then be taken again (see `joinFileLists`).
   */
  consistent: boolean;
  /** Keys of the added files that their uploaders named (own-uploads answers). */
  owned: Set<string>;
}

/** One ingester's stored files (see `HotDataAnswer`). */
export interface RegisteredFiles {
  registered: readonly FileEntry[];
  /** Only that ingester's own uploads (`hot_data.proto` `own_uploads`). */
  ownUploads?: boolean;
}

/**
 * Joins the querier's file_list read with each ingester's (`registered`, read in the same
 * instant as that ingester's memtables and local files).
 *
 * A file uploaded after the querier's read is safe to add only if every ingester's read holds
 * it. Its uploader's answer then holds the file instead of the rows (an ingester's own snapshot
 * is retaken when an upload lands under it), and no other ingester had those rows. If some
 * ingester's read lacks the file, that one may be the uploader, answering with the rows still
 * in memory while another ingester, asked a moment later, reports the file: adding it would
 * count those rows twice, leaving it out would lose them where the uploader answered later.
 * Which ingester uploaded a file is not known here, so such a cut is taken again instead.
 *
 * An ingester that answers with its own uploads only (`ownUploads`) names its uploader: its
 * answer holds either the rows or the file, in one instant, so such a file is added without the
 * others (the caller still checks it is live: it may have been compacted since). A file only
 * file_list readers reported still needs all of them — and no own-uploads answer beside, since
 * that one may be its uploader answering with the rows. Files in `dead` (found no longer live
 * before this read) are left out: this read holds what replaced them.
 */
export function joinFileLists(
  listed: readonly StoredFileEntry[],
  answers: readonly RegisteredFiles[],
  dead: ReadonlySet<string> = new Set(),
): JoinedFileLists {
  const files = new Map(listed.map((f) => [fileKey(f), f]));
  const seenBy = new Map<string, number>();
  const owned = new Set<string>();
  const late = new Map<string, FileEntry>();
  for (const answer of answers) {
    for (const file of answer.registered) {
      const key = fileKey(file);
      if (files.has(key) || dead.has(key)) continue;
      late.set(key, file);
      seenBy.set(key, (seenBy.get(key) ?? 0) + 1);
      if (answer.ownUploads === true) owned.add(key);
    }
  }
  const read = [...seenBy].filter(([key]) => !owned.has(key));
  const consistent = read.every(([, count]) => count === answers.length);
  for (const [key, file] of late) files.set(key, storedEntryOf(file));
  return { files: [...files.values()], joined: late.size > 0, consistent, owned };
}
