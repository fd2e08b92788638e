import type { IngestFormat as DomainFormat } from '@o2/domain';
import { IngestFormat } from '@o2/proto';

export { wireStreamType } from '@o2/proto';

const WIRE_FORMATS: Record<DomainFormat, IngestFormat> = {
  json: IngestFormat.JSON,
  multi: IngestFormat.MULTI,
  bulk: IngestFormat.BULK,
  otlp_logs: IngestFormat.OTLP_LOGS,
  otlp_logs_json: IngestFormat.OTLP_LOGS_JSON,
  otlp_metrics: IngestFormat.OTLP_METRICS,
  otlp_metrics_json: IngestFormat.OTLP_METRICS_JSON,
  otlp_traces: IngestFormat.OTLP_TRACES,
  otlp_traces_json: IngestFormat.OTLP_TRACES_JSON,
  metrics_json: IngestFormat.METRICS_JSON,
  prom_remote_write: IngestFormat.PROM_REMOTE_WRITE,
};

export function wireFormat(format: DomainFormat): IngestFormat {
  return WIRE_FORMATS[format];
}
