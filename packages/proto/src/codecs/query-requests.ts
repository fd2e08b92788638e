import type { MessageInitShape } from '@bufbuild/protobuf';
import type {
  AroundQuery,
  SearchQuery,
  SearchResponseBody,
  StreamKind,
  ValuesQuery,
} from '@o2/domain';
import type {
  AroundRequest,
  AroundRequestSchema,
  PartitionRequest,
  QueryRequest,
  SearchQuerySchema,
  ValuesRequest,
  ValuesRequestSchema,
} from '../gen/o2/search/v1/query_pb.js';
import {
  decodeAroundQuery,
  decodeSearchQuery,
  decodeValuesQuery,
  encodeAroundQuery,
  encodeSearchQuery,
  encodeValuesQuery,
} from './search-queries.js';
import { streamKindOf, wireStreamType } from './stream-type.js';
import type { StreamType } from '../gen/o2/common/v1/stream_pb.js';

/** One call of the `@o2/domain` SearchService: `search` and `partition` take this. */
export interface OrgQuery<Q> {
  org: string;
  type: StreamKind;
  query: Q;
}

/** `values` and `around` name the stream too. */
export interface StreamQuery<Q> extends OrgQuery<Q> {
  stream: string;
}

/** `QueryService.Query` and `.Partition` carry the same request shape. */
export function encodeQueryRequest(call: OrgQuery<SearchQuery>): {
  org: string;
  streamType: StreamType;
  query: MessageInitShape<typeof SearchQuerySchema>;
} {
  return {
    org: call.org,
    streamType: wireStreamType(call.type),
    query: encodeSearchQuery(call.query),
  };
}

export function decodeQueryRequest(
  request: QueryRequest | PartitionRequest,
): OrgQuery<SearchQuery> {
  return {
    org: request.org,
    type: streamKindOf(request.streamType),
    query: decodeSearchQuery(request.query),
  };
}

export function encodeValuesRequest(
  call: StreamQuery<ValuesQuery>,
): MessageInitShape<typeof ValuesRequestSchema> {
  return {
    org: call.org,
    streamType: wireStreamType(call.type),
    stream: call.stream,
    query: encodeValuesQuery(call.query),
  };
}

export function decodeValuesRequest(request: ValuesRequest): StreamQuery<ValuesQuery> {
  return {
    org: request.org,
    type: streamKindOf(request.streamType),
    stream: request.stream,
    query: decodeValuesQuery(request.query),
  };
}

export function encodeAroundRequest(
  call: StreamQuery<AroundQuery>,
): MessageInitShape<typeof AroundRequestSchema> {
  return {
    org: call.org,
    streamType: wireStreamType(call.type),
    stream: call.stream,
    query: encodeAroundQuery(call.query),
  };
}

export function decodeAroundRequest(request: AroundRequest): StreamQuery<AroundQuery> {
  return {
    org: request.org,
    type: streamKindOf(request.streamType),
    stream: request.stream,
    query: decodeAroundQuery(request.query),
  };
}

/** Every QueryService answer is O2's response object as UTF-8 JSON (see query.proto). */
export function encodeResponseBody(body: SearchResponseBody): { bodyJson: Uint8Array } {
  return { bodyJson: new TextEncoder().encode(JSON.stringify(body)) };
}

export function decodeResponseBody(answer: { bodyJson: Uint8Array }): SearchResponseBody {
  return JSON.parse(new TextDecoder().decode(answer.bodyJson)) as SearchResponseBody;
}
