import type { AroundQuery, SearchQuery, SearchService, StreamKind, ValuesQuery } from '@o2/domain';
import type { CallOptions, ServiceClient } from '@o2/grpc';
import {
  QueryService,
  decodeResponseBody,
  encodeAroundRequest,
  encodeQueryRequest,
  encodeValuesRequest,
} from '@o2/proto';
import { querierForward } from './querier-forward.js';
import type { QuerierForwardOptions } from './querier-forward.js';

export type ClusterSearchOptions = QuerierForwardOptions;

type QueryClient = ServiceClient<typeof QueryService>;

/**
 * Searches of a router in cluster mode: each goes whole to one live querier (round robin),
 * which leads it, moving on to the next querier on UNAVAILABLE (`querierForward`). Errors come
 * back as AppErrors (with O2's search code) through @o2/grpc, so the router renders them as it
 * does in single node.
 */
export function clusterSearch(options: ClusterSearchOptions): SearchService {
  const toQuerier = querierForward(options);
  const logger = options.logger.child({ module: 'cluster-search' });
  const forward = <T>(
    method: string,
    call: (querier: QueryClient, options: CallOptions) => Promise<T>,
  ) => toQuerier(method, (client, callOptions) => call(client.service(QueryService), callOptions));

  return {
    async search(org: string, type: StreamKind, query: SearchQuery) {
      const started = performance.now();
      const request = encodeQueryRequest({ org, type, query });
      const encoded = performance.now();
      const answer = await forward('query', (querier, call) => querier.query(request, call));
      const called = performance.now();
      const body = decodeResponseBody(answer);
      // Where the hop's time goes (the leader's own `search` line has the rest): issue 16.
      const ms = (a: number, b: number) => Math.round((b - a) * 100) / 100;
      logger.debug(
        {
          stages: {
            router_encode: ms(started, encoded),
            router_call: ms(encoded, called),
            router_decode: ms(called, performance.now()),
          },
        },
        'forward',
      );
      return body;
    },
    async values(org: string, type: StreamKind, stream: string, query: ValuesQuery) {
      const request = encodeValuesRequest({ org, type, stream, query });
      return decodeResponseBody(
        await forward('values', (querier, call) => querier.values(request, call)),
      );
    },
    async around(org: string, type: StreamKind, stream: string, query: AroundQuery) {
      const request = encodeAroundRequest({ org, type, stream, query });
      return decodeResponseBody(
        await forward('around', (querier, call) => querier.around(request, call)),
      );
    },
    async partition(org: string, type: StreamKind, query: SearchQuery) {
      const request = encodeQueryRequest({ org, type, query });
      return decodeResponseBody(
        await forward('partition', (querier, call) => querier.partition(request, call)),
      );
    },
  };
}
