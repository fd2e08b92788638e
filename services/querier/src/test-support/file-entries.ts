import type { FileEntry } from '@o2/domain';
import type { StoredFileEntry } from '@o2/metastore';
import { fileEntryFixture } from '@o2/testing';

/** A file of stream default/logs/app, for tests that look only at file names and keys. */
export function fileEntry(file: string): FileEntry {
  return fileEntryFixture({ date: '2026/12/06/10', file });
}

/** `fileEntry` as a file_list row. */
export function storedFileEntry(file: string): StoredFileEntry {
  return { ...fileEntry(file), id: 1, updatedAt: 1 };
}
