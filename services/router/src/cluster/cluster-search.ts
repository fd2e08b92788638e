import type { AroundQuery, SearchQuery, SearchService, StreamKind, ValuesQuery } from '@o2/domain';
import { isAppError } from '@o2/errors';
import type { CallOptions, ServiceClient } from '@o2/grpc';
import type { Logger } from '@o2/logger';
import {
  QueryService,
  decodeResponseBody,
  encodeAroundRequest,
  encodeQueryRequest,
  encodeValuesRequest,
} from '@o2/proto';
import type { PeerClients } from './peer-clients.js';

export interface ClusterSearchOptions {
  peers: PeerClients;
  logger: Logger;
  /**
   * Deadline of one forwarded call on one querier; the querier's own query timeout should fit
   * inside. A call that moves on to another querier gets a fresh deadline there.
   */
  timeoutMs: number;
}

type QueryClient = ServiceClient<typeof QueryService>;

/**
 * Searches of a router in cluster mode: each goes whole to one live querier (round robin),
 * which leads it. Errors come back as AppErrors (with O2's search code) through @o2/grpc, so the
 * router renders them as it does in single node.
 *
 * A querier that answers UNAVAILABLE (refused connection, dead peer still in the registry until
 * its heartbeat lapses, a querier starting or draining) hands the query to the next live one:
 * searches only read, so resending is safe. While another querier is left to try, the call
 * makes no resends of its own on the failing peer — waiting out its backoff on a dead address
 * would only delay the answer; the last candidate keeps them, which covers a lone querier's
 * brief restart. Any other error is the query's answer and is not retried elsewhere.
 */
export function clusterSearch(options: ClusterSearchOptions): SearchService {
  const { peers, timeoutMs } = options;
  const logger = options.logger.child({ module: 'cluster-search' });

  const forward = async <T>(
    method: string,
    call: (querier: QueryClient, options: CallOptions) => Promise<T>,
  ): Promise<T> => {
    const nodes = await peers.rotation('querier');
    let lastError: unknown;
    for (const [index, node] of nodes.entries()) {
      const last = index === nodes.length - 1;
      try {
        const querier = peers.client(node).service(QueryService);
        return await call(querier, last ? { timeoutMs } : { timeoutMs, idempotent: false });
      } catch (error) {
        if (!isAppError(error) || error.code !== 'UNAVAILABLE') throw error;
        if (!last)
          logger.warn(
            { querier: node.name, method, err: error },
            'querier unavailable, trying the next',
          );
        lastError = error;
      }
    }
    throw lastError;
  };

  return {
    async search(org: string, type: StreamKind, query: SearchQuery) {
      const request = encodeQueryRequest({ org, type, query });
      return decodeResponseBody(
        await forward('query', (querier, call) => querier.query(request, call)),
      );
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
