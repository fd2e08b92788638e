import type { ClusterNode } from '@o2/cluster';
import { isAppError } from '@o2/errors';
import type { AppError } from '@o2/errors';
import type { TailBatch, TailRequest, TailSource } from '@o2/live-tail';
import type { Logger } from '@o2/logger';
import { TailService, decodeTailRows, encodeTailRequest } from '@o2/proto';
import type { PeerClients } from '@o2/querier-client';

export interface ClusterTailOptions {
  peers: PeerClients;
  logger: Logger;
  /** How often the live ingesters are listed again, to subscribe to ones that joined. */
  refreshMs?: number;
  /** How long `ready` waits for the ingesters' first message before going ahead without one. */
  readyTimeoutMs?: number;
  /** Rows the merged buffer holds for a slow client before dropping the oldest. */
  maxBufferedRows?: number;
}

/**
 * One call lasts this long at most (every gRPC call has a deadline); a call that ends is opened
 * again on the next refresh, so a session outlives it with at most a refresh of rows missed.
 */
const CALL_DEADLINE_MS = 60 * 60 * 1000;

const REFUSALS: ReadonlySet<string> = new Set(['INVALID_ARGUMENT', 'RESOURCE_EXHAUSTED']);

/**
 * Live tail in a cluster: every live ingester holds some of the new rows (ingest spreads
 * requests), so a session opens `TailService.Tail` on each one — filtered there — and merges
 * the streams. Ingesters that join are subscribed on the next refresh; one that fails is
 * dropped from the session and retried on the next refresh (rows it acknowledged meanwhile are
 * not seen: a tail shows what arrives, it does not replay). The merged buffer is bounded like
 * each ingester's: a client reading too slowly loses the oldest rows and is told how many.
 */
export function clusterTail(options: ClusterTailOptions): TailSource {
  const { peers } = options;
  const logger = options.logger.child({ module: 'cluster-tail' });
  const refreshMs = options.refreshMs ?? 2_000;
  const readyTimeoutMs = options.readyTimeoutMs ?? 3_000;
  const maxRows = options.maxBufferedRows ?? 1000;

  return {
    async *tail(request: TailRequest, signal: AbortSignal): AsyncGenerator<TailBatch> {
      const session = new AbortController();
      let pending: TailBatch = { rows: [], dropped: 0 };
      let failure: AppError | undefined;
      let wake: (() => void) | undefined;
      const stop = () => {
        session.abort();
        wake?.();
      };
      signal.addEventListener('abort', stop);
      const open = new Set<string>();
      const waitingFirst = new Set<string>();
      const wire = encodeTailRequest(request);

      const push = (batch: TailBatch) => {
        pending.rows.push(...batch.rows);
        pending.dropped += batch.dropped;
        const over = pending.rows.length - maxRows;
        if (over > 0) {
          pending.rows.splice(0, over);
          pending.dropped += over;
        }
        wake?.();
      };

      const follow = async (node: ClusterNode) => {
        open.add(node.grpcAddr);
        waitingFirst.add(node.grpcAddr);
        try {
          const calls = peers.client(node).service(TailService);
          const stream = calls.tail(wire, { signal: session.signal, timeoutMs: CALL_DEADLINE_MS });
          for await (const message of stream) {
            waitingFirst.delete(node.grpcAddr);
            push(decodeTailRows(message));
          }
        } catch (error) {
          if (session.signal.aborted) return;
          // The ingester refused the session itself (a filter it cannot parse, too many
          // sessions): end it, so the caller gets that answer instead of a silent partial tail.
          if (isAppError(error) && REFUSALS.has(error.code)) failure = error;
          else logger.warn({ ingester: node.name, err: error }, 'tail stream ended; resubscribing');
        } finally {
          open.delete(node.grpcAddr);
          waitingFirst.delete(node.grpcAddr);
          wake?.();
        }
      };

      const refresh = async () => {
        const nodes = await peers.rotation('ingester').catch((error: unknown) => {
          logger.warn({ err: error }, 'cannot list ingesters for live tail');
          return [];
        });
        for (const node of nodes) if (!open.has(node.grpcAddr)) void follow(node);
      };

      const sleep = (ms: number) =>
        new Promise<void>((resolve) => {
          const timer = setTimeout(done, ms);
          function done() {
            clearTimeout(timer);
            wake = undefined;
            resolve();
          }
          wake = done;
        });

      // A function, not an inline check: `failure` is set by the followers, which TS cannot see.
      const throwIfFailed = () => {
        if (failure !== undefined) throw failure;
      };

      try {
        await refresh();
        const readyBy = Date.now() + readyTimeoutMs;
        while (waitingFirst.size > 0 && Date.now() < readyBy && failure === undefined)
          await sleep(readyBy - Date.now());
        throwIfFailed();
        // Subscribed everywhere (or as far as it went): rows from now on are delivered.
        yield { rows: [], dropped: 0 };
        let nextRefresh = Date.now() + refreshMs;
        while (!signal.aborted) {
          if (pending.rows.length === 0 && pending.dropped === 0)
            await sleep(Math.max(0, nextRefresh - Date.now()));
          throwIfFailed();
          if (Date.now() >= nextRefresh) {
            nextRefresh = Date.now() + refreshMs;
            await refresh();
          }
          if (signal.aborted) break;
          const batch = pending;
          pending = { rows: [], dropped: 0 };
          // An empty batch doubles as the session's heartbeat (one per refresh interval).
          yield batch;
        }
      } finally {
        signal.removeEventListener('abort', stop);
        session.abort();
      }
    },
  };
}
