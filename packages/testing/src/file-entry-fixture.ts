import type { FileEntry } from '@o2/domain';

/**
 * A file_list entry for tests: one small file of stream default/logs/app; `fields` set the parts
 * a test looks at (always the file name). One builder, so a new FileEntry field is added once.
 */
export function fileEntryFixture(fields: Partial<FileEntry> & Pick<FileEntry, 'file'>): FileEntry {
  return {
    org: 'default',
    type: 'logs',
    stream: 'app',
    date: '2026/11/28/07',
    minTs: 1,
    maxTs: 2,
    records: 10,
    originalSize: 100,
    compressedSize: 50,
    indexSize: 0,
    flattened: false,
    ...fields,
  };
}
