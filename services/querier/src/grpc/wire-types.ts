import type { StreamKind } from '@o2/domain';
import { AppError } from '@o2/errors';
import type { StreamType as MetaStreamType } from '@o2/metastore';
import { StreamType } from '@o2/proto';

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
