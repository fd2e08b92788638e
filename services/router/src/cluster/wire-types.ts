import type { IngestFormat as DomainFormat } from '@o2/domain';
import { IngestFormat } from '@o2/proto';

export { wireStreamType } from '@o2/proto';

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
