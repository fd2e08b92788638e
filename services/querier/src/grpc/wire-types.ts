import type { StreamKind } from '@o2/domain';
import { AppError } from '@o2/errors';
import type { StoredFileEntry, StreamType as MetaStreamType, StreamRef } from '@o2/metastore';
import { StreamType } from '@o2/proto';
import type { FileRef } from '@o2/proto';

/** The wire's stream type as a searchable kind; the others are refused. */
export function streamKindOf(type: StreamType): StreamKind {
  switch (type) {
    case StreamType.LOGS:
      return 'logs';
    case StreamType.METRICS:
      return 'metrics';
    case StreamType.TRACES:
      return 'traces';
    case StreamType.UNSPECIFIED:
    case StreamType.ENRICHMENT_TABLES:
    case StreamType.METADATA:
    case StreamType.INDEX:
      throw new AppError('INVALID_ARGUMENT', `unsupported stream type ${StreamType[type]}`);
  }
  throw new AppError('INVALID_ARGUMENT', `unknown stream type ${String(type)}`);
}

export function wireStreamType(type: MetaStreamType): StreamType {
  switch (type) {
    case 'logs':
      return StreamType.LOGS;
    case 'metrics':
      return StreamType.METRICS;
    case 'traces':
      return StreamType.TRACES;
    case 'enrichment_tables':
      return StreamType.ENRICHMENT_TABLES;
    case 'metadata':
      return StreamType.METADATA;
    case 'index':
      return StreamType.INDEX;
  }
}

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
