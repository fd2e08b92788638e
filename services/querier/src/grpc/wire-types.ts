import type { StoredFileEntry, StreamRef } from '@o2/metastore';
import type { FileRef } from '@o2/proto';

export { streamKindOf, wireStreamType } from '@o2/proto';

/** A wire file reference as a file_list row of `ref`'s org and type. */
export function storedEntryOf(
  ref: Pick<StreamRef, 'org' | 'type'>,
  file: FileRef,
): StoredFileEntry {
  return {
    org: ref.org,
    type: ref.type,
    stream: file.stream,
    date: file.date,
    file: file.file,
    minTs: Number(file.minTs),
    maxTs: Number(file.maxTs),
    records: Number(file.records),
    originalSize: Number(file.originalSize),
    compressedSize: Number(file.compressedSize),
    indexSize: Number(file.indexSize),
    flattened: false,
    id: 0,
    updatedAt: 0,
  };
}

export function fileRefOf(file: StoredFileEntry): Omit<FileRef, '$typeName'> {
  return {
    stream: file.stream,
    date: file.date,
    file: file.file,
    minTs: BigInt(file.minTs),
    maxTs: BigInt(file.maxTs),
    records: BigInt(file.records),
    originalSize: BigInt(file.originalSize),
    compressedSize: BigInt(file.compressedSize),
    indexSize: BigInt(file.indexSize),
  };
}
