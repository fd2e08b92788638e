import type { StreamKind } from '@o2/domain';
import { AppError } from '@o2/errors';
import { StreamType } from '@o2/proto';

/** The wire's stream type as the ingester's; anything but logs/metrics/traces is refused. */
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
