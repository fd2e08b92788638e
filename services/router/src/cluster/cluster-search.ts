import type {
  AroundQuery,
  SearchQuery,
  SearchResponseBody,
  SearchService,
  StreamKind,
  ValuesQuery,
} from '@o2/domain';
import type { CallOptions, ServiceClient } from '@o2/grpc';
import { SearchService as SearchServiceDesc } from '@o2/proto';
import { querierForward } from './querier-forward.js';
import type { QuerierForwardOptions } from './querier-forward.js';
import { wireStreamType } from './wire-types.js';

export type ClusterSearchOptions = QuerierForwardOptions;

type SearchClient = ServiceClient<typeof SearchServiceDesc>;

const optionalBig = <K extends string>(key: K, value: number | undefined) =>
  (value === undefined ? {} : { [key]: BigInt(value) }) as Partial<Record<K, bigint>>;

function wireQuery(query: SearchQuery) {
  return {
    sql: query.sql,
    startTime: BigInt(query.startTime),
    endTime: BigInt(query.endTime),
    ...optionalBig('from', query.from),
    ...optionalBig('size', query.size),
    ...(query.trackTotalHits === undefined ? {} : { trackTotalHits: query.trackTotalHits }),
    ...(query.encoding === undefined ? {} : { encoding: query.encoding }),
  };
}

function wireValues(query: ValuesQuery) {
  return {
    fields: query.fields,
    startTime: BigInt(query.startTime),
    endTime: BigInt(query.endTime),
    ...optionalBig('size', query.size),
    ...optionalBig('from', query.from),
    ...(query.filter === undefined ? {} : { filter: query.filter }),
    ...(query.keyword === undefined ? {} : { keyword: query.keyword }),
    ...(query.noCount === undefined ? {} : { noCount: query.noCount }),
    ...(query.sql === undefined ? {} : { sql: query.sql }),
  };
}

function wireAround(query: AroundQuery) {
  const filters = Object.fromEntries(
    Object.entries(query.filters ?? {}).map(([name, value]) => [
      name,
      {
        kind:
          typeof value === 'string'
            ? { case: 'stringValue' as const, value }
            : typeof value === 'number'
              ? { case: 'numberValue' as const, value }
              : { case: 'boolValue' as const, value },
      },
    ]),
  );
  return {
    key: BigInt(query.key),
    size: BigInt(query.size),
    ...(query.sql === undefined ? {} : { sql: query.sql }),
    filters,
  };
}

const bodyOf = (answer: { bodyJson: Uint8Array }): SearchResponseBody =>
  JSON.parse(new TextDecoder().decode(answer.bodyJson)) as SearchResponseBody;

/**
 * Searches of a router in cluster mode: each goes whole to one live querier (round robin),
 * which leads it, moving on to the next querier on UNAVAILABLE (`querierForward`). Errors come
 * back as AppErrors (with O2's search code) through @o2/grpc, so the router renders them as it
 * does in single node.
 */
export function clusterSearch(options: ClusterSearchOptions): SearchService {
  const toQuerier = querierForward(options);
  const forward = <T>(
    method: string,
    call: (querier: SearchClient, options: CallOptions) => Promise<T>,
  ) =>
    toQuerier(method, (client, callOptions) =>
      call(client.service(SearchServiceDesc), callOptions),
    );

  return {
    async search(org: string, type: StreamKind, query: SearchQuery) {
      const request = { org, streamType: wireStreamType(type), query: wireQuery(query) };
      return bodyOf(await forward('query', (querier, call) => querier.query(request, call)));
    },
    async values(org: string, type: StreamKind, stream: string, query: ValuesQuery) {
      const request = { org, streamType: wireStreamType(type), stream, query: wireValues(query) };
      return bodyOf(await forward('values', (querier, call) => querier.values(request, call)));
    },
    async around(org: string, type: StreamKind, stream: string, query: AroundQuery) {
      const request = { org, streamType: wireStreamType(type), stream, query: wireAround(query) };
      return bodyOf(await forward('around', (querier, call) => querier.around(request, call)));
    },
    async partition(org: string, type: StreamKind, query: SearchQuery) {
      const request = { org, streamType: wireStreamType(type), query: wireQuery(query) };
      return bodyOf(
        await forward('partition', (querier, call) => querier.partition(request, call)),
      );
    },
  };
}
