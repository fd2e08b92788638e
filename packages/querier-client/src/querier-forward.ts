import { isAppError } from '@o2/errors';
import type { CallOptions, GrpcClient } from '@o2/grpc';
import type { Logger } from '@o2/logger';
import type { PeerClients } from './peer-clients.js';

export interface QuerierForwardOptions {
  peers: PeerClients;
  logger: Logger;
  /**
   * Deadline of one forwarded call on one querier; the querier's own query timeout should fit
   * inside. A call that moves on to another querier gets a fresh deadline there.
   */
  timeoutMs: number;
}

/**
 * How old a listing of queriers a search may be sent by: a fresh listing is several NATS round
 * trips on every search, while a querier that left is skipped on UNAVAILABLE anyway and one
 * that joined gets searches this much later.
 */
const QUERIER_LIST_MAX_AGE_MS = 1_000;

/**
 * Sends a read-only call to one live querier (round robin), which leads it.
 *
 * A querier that answers UNAVAILABLE (refused connection, dead peer still in the registry until
 * its heartbeat lapses, a querier starting or draining) hands the call to the next live one:
 * these calls only read, so resending is safe. While another querier is left to try, the call
 * makes no resends of its own on the failing peer — waiting out its backoff on a dead address
 * would only delay the answer; the last candidate keeps them, which covers a lone querier's
 * brief restart. Any other error is the call's answer and is not retried elsewhere.
 */
export function querierForward(options: QuerierForwardOptions) {
  const { peers, timeoutMs } = options;
  const logger = options.logger.child({ module: 'querier-forward' });
  return async <T>(
    method: string,
    call: (querier: GrpcClient, options: CallOptions) => Promise<T>,
  ): Promise<T> => {
    const nodes = await peers.rotation('querier', { maxAgeMs: QUERIER_LIST_MAX_AGE_MS });
    let lastError: unknown;
    for (const [index, node] of nodes.entries()) {
      const last = index === nodes.length - 1;
      try {
        return await call(
          peers.client(node),
          last ? { timeoutMs } : { timeoutMs, idempotent: false },
        );
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
}
