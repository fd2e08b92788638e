import type { MessageInitShape } from '@bufbuild/protobuf';
import type { StreamKind } from '@o2/domain';
import type { TailRequest, TailResponse } from '../gen/o2/ingest/v1/tail_pb.js';
import type { TailRequestSchema, TailResponseSchema } from '../gen/o2/ingest/v1/tail_pb.js';
import { streamKindOf, wireStreamType } from './stream-type.js';

/** A live tail session as `@o2/live-tail` names it (structurally its `TailRequest`). */
export interface TailCall {
  org: string;
  type: StreamKind;
  stream: string;
  filter: string;
}

/** New rows (JSON texts) and the rows dropped since the last message; both empty: heartbeat. */
export interface TailRows {
  rows: string[];
  dropped: number;
}

export function encodeTailRequest(call: TailCall): MessageInitShape<typeof TailRequestSchema> {
  return {
    org: call.org,
    streamType: wireStreamType(call.type),
    stream: call.stream,
    filter: call.filter,
  };
}

export function decodeTailRequest(request: TailRequest): TailCall {
  return {
    org: request.org,
    type: streamKindOf(request.streamType),
    stream: request.stream,
    filter: request.filter,
  };
}

export function encodeTailRows(rows: TailRows): MessageInitShape<typeof TailResponseSchema> {
  return { rowsJson: rows.rows, dropped: BigInt(rows.dropped) };
}

export function decodeTailRows(response: TailResponse): TailRows {
  return { rows: response.rowsJson, dropped: Number(response.dropped) };
}
