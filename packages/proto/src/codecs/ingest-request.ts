import type { MessageInitShape } from '@bufbuild/protobuf';
import type { IngestFormat as FormatName, IngestRequest } from '@o2/domain';
import { AppError } from '@o2/errors';
import { IngestFormat } from '../gen/o2/ingest/v1/ingest_pb.js';
import type {
  IngestRequest as WireIngestRequest,
  IngestRequestSchema,
} from '../gen/o2/ingest/v1/ingest_pb.js';
import { streamKindOf, wireStreamType } from './stream-type.js';

export function encodeIngestFormat(format: FormatName): IngestFormat {
  switch (format) {
    case 'json':
      return IngestFormat.JSON;
    case 'multi':
      return IngestFormat.MULTI;
    case 'bulk':
      return IngestFormat.BULK;
  }
}

export function decodeIngestFormat(format: IngestFormat): FormatName {
  switch (format) {
    case IngestFormat.JSON:
      return 'json';
    case IngestFormat.MULTI:
      return 'multi';
    case IngestFormat.BULK:
      return 'bulk';
    case IngestFormat.UNSPECIFIED:
      throw new AppError('INVALID_ARGUMENT', 'ingest format is required');
  }
  throw new AppError('INVALID_ARGUMENT', `unknown ingest format ${String(format)}`);
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
