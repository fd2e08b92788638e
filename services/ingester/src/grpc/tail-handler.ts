import type { ServiceImpl } from '@o2/grpc';
import { parseTailFilter } from '@o2/live-tail';
import { decodeTailRequest, encodeTailRows } from '@o2/proto';
import type { TailRequest, TailService } from '@o2/proto';
import type { TailSource } from '@o2/live-tail';

type TailMessage =
  ReturnType<ServiceImpl<typeof TailService>['tail']> extends AsyncIterable<infer M> ? M : never;

/**
 * `TailService.Tail` on an ingester: the rows it acknowledges from now on, filtered here, until
 * the router cancels the call (its browser session ended). Heartbeats (empty messages) flow
 * while the stream is quiet, so a router notices a dead ingester by the call failing. The
 * server stopping (`closing`) ends the call normally.
 */
export function tailHandler(
  source: TailSource,
  closing: AbortSignal,
): ServiceImpl<typeof TailService> {
  return {
    async *tail(request: TailRequest, context): AsyncGenerator<TailMessage> {
      const call = decodeTailRequest(request);
      // Checked before subscribing: a bad filter is INVALID_ARGUMENT, not a silent empty tail.
      parseTailFilter(call.filter);
      const signal = AbortSignal.any([context.signal, closing]);
      for await (const batch of source.tail(call, signal)) yield encodeTailRows(batch);
    },
  };
}
