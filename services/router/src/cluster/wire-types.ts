import type { IngestFormat as DomainFormat, StreamKind } from '@o2/domain';
import { IngestFormat, StreamType } from '@o2/proto';

export function wireStreamType(kind: StreamKind): StreamType {
  switch (kind) {
    case 'logs':
      return StreamType.LOGS;
    case 'metrics':
      return StreamType.METRICS;
    case 'traces':
      return StreamType.TRACES;
  }
}

export function wireFormat(format: DomainFormat): IngestFormat {
  switch (format) {
    case 'json':
      return IngestFormat.JSON;
    case 'multi':
      return IngestFormat.MULTI;
    case 'bulk':
      return IngestFormat.BULK;
  }
}
