import type { MessageInitShape } from '@bufbuild/protobuf';
import type { FileEntry, StreamType } from '@o2/domain';
import type { FileRef, FileRefSchema } from '../gen/o2/search/v1/scan_pb.js';

/** What a file reference names beyond its stream: the request carries org and type once. */
export type FileRefScope = { org: string; type: StreamType };

/** A file_list row as the wire's `FileRef` (the org and type travel in the request). */
export function encodeFileRef(
  file: Omit<FileEntry, 'org' | 'type' | 'flattened'>,
): MessageInitShape<typeof FileRefSchema> {
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

/**
 * A wire `FileRef` as the file entry of `scope`'s org and type. `flattened` does not travel
 * (a reader needs only the key, range and sizes), so it reads back false.
 */
export function decodeFileRef(scope: FileRefScope, file: FileRef): FileEntry {
  return {
    org: scope.org,
    type: scope.type,
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
  };
}
