import type { FileEntry } from '@o2/domain';
import type { StoredFileEntry } from '@o2/metastore';

/**
 * A file entry that came over the wire as a file_list row. It has no row id or update time
 * here (0): readers key files by org, type, stream, date and name, never by id.
 */
export function storedEntryOf(file: FileEntry): StoredFileEntry {
  return { ...file, id: 0, updatedAt: 0 };
}
