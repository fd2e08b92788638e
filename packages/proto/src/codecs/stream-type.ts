import type { StreamKind, StreamType as StreamTypeName } from '@o2/domain';
import { AppError } from '@o2/errors';
import { StreamType } from '../gen/o2/common/v1/stream_pb.js';

/** Stream types as the rest of O2TS names them (@o2/domain's vocabulary). */
export type { StreamTypeName };

/** The wire's stream type as an ingestible/searchable kind; the other types are refused. */
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

/** The wire's stream type as any stream type name; only UNSPECIFIED (and unknown values) are refused. */
export function streamTypeOf(type: StreamType): StreamTypeName {
  switch (type) {
    case StreamType.ENRICHMENT_TABLES:
      return 'enrichment_tables';
    case StreamType.METADATA:
      return 'metadata';
    case StreamType.INDEX:
      return 'index';
    case StreamType.LOGS:
    case StreamType.METRICS:
    case StreamType.TRACES:
      return streamKindOf(type);
    case StreamType.UNSPECIFIED:
      throw new AppError('INVALID_ARGUMENT', 'stream type is required');
  }
  throw new AppError('INVALID_ARGUMENT', `unknown stream type ${String(type)}`);
}

/** A stream type name as the wire's enum. */
export function wireStreamType(type: StreamTypeName): StreamType {
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
