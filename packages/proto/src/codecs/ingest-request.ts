import type { MessageInitShape } from '@bufbuild/protobuf';
import type { IngestFormat as FormatName, IngestRequest } from '@o2/domain';
import { AppError } from '@o2/errors';
import { IngestFormat } from '../gen/o2/ingest/v1/ingest_pb.js';
import type {
  IngestRequest as WireIngestRequest,
  IngestRequestSchema,
} from '../gen/o2/ingest/v1/ingest_pb.js';
import { streamKindOf, wireStreamType } from './stream-type.js';

/** Domain format name ⇄ wire enum: one table, read both ways. */
const WIRE_FORMATS: Record<FormatName, IngestFormat> = {
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

const FORMAT_NAMES = new Map<IngestFormat, FormatName>(
  Object.entries(WIRE_FORMATS).map(([name, wire]) => [wire, name as FormatName]),
);

export function encodeIngestFormat(format: FormatName): IngestFormat {
  return WIRE_FORMATS[format];
}

export function decodeIngestFormat(format: IngestFormat): FormatName {
  if (format === IngestFormat.UNSPECIFIED)
    throw new AppError('INVALID_ARGUMENT', 'ingest format is required');
  const name = FORMAT_NAMES.get(format);
  if (name === undefined)
    throw new AppError('INVALID_ARGUMENT', `unknown ingest format ${String(format)}`);
  return name;
}

/** The router's request to an ingester, with the idempotency key of this one HTTP request. */
export interface IngestCall {
  requestId: string;
  request: IngestRequest;
}

/** Absent `stream` / `idempotencyKey` travel as '' (proto3 strings have no "unset"). */
export function encodeIngestRequest(
  call: IngestCall,
): MessageInitShape<typeof IngestRequestSchema> {
  const { request } = call;
  return {
    requestId: call.requestId,
    org: request.org,
    stream: request.stream ?? '',
    streamType: wireStreamType(request.streamType),
    format: encodeIngestFormat(request.format),
    body: request.body,
    idempotencyKey: request.idempotencyKey ?? '',
  };
}

/** '' reads back as absent, so a bulk request (no stream) and a key-less one stay so. */
export function decodeIngestRequest(wire: WireIngestRequest): IngestCall {
  return {
    requestId: wire.requestId,
    request: {
      org: wire.org,
      ...(wire.stream === '' ? {} : { stream: wire.stream }),
      streamType: streamKindOf(wire.streamType),
      format: decodeIngestFormat(wire.format),
      body: wire.body,
      ...(wire.idempotencyKey === '' ? {} : { idempotencyKey: wire.idempotencyKey }),
    },
  };
}
