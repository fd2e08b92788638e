import type { FileEntry } from '@o2/domain';
import type { StoredFileEntry } from '@o2/metastore';

/** A file of stream default/logs/app, for tests that look only at file names and keys. */
export function fileEntry(file: string): FileEntry {
  return {
    org: 'default',
    type: 'logs',
    stream: 'app',
    date: '2026/12/06/10',
    file,
    minTs: 1,
    maxTs: 2,
    records: 10,
    originalSize: 100,
    compressedSize: 50,
    indexSize: 0,
    flattened: false,
  };
}

/** `fileEntry` as a file_list row. */
export function storedFileEntry(file: string): StoredFileEntry {
  return { ...fileEntry(file), id: 1, updatedAt: 1 };
}
