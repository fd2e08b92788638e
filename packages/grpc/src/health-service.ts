import type { MessageInitShape } from '@bufbuild/protobuf';
import { AppError } from '@o2/errors';
import { HealthCheckResponse_ServingStatus as ServingStatus } from '@o2/proto';
import type { Health, HealthCheckResponseSchema } from '@o2/proto';
import type { CallContext, ServiceImpl } from './service-types.js';

export { ServingStatus };

type Listener = (status: ServingStatus | undefined) => void;

/**
 * The serving status of the server ('' = the server as a whole) and of each service, as the
 * standard grpc.health.v1 protocol reports it. `close()` ends every Watch stream so a graceful
 * shutdown is not held open by health watchers.
 */
export class HealthBoard {
  private readonly statuses = new Map<string, ServingStatus>();
  private readonly listeners = new Map<string, Set<Listener>>();
  private readonly closers = new Set<() => void>();

  get(service: string): ServingStatus | undefined {
    return this.statuses.get(service);
  }

  set(service: string, status: ServingStatus): void {
    if (this.statuses.get(service) === status) return;
    this.statuses.set(service, status);
    for (const listener of this.listeners.get(service) ?? []) listener(status);
  }

  /** Every known service (and the server entry) to the same status. */
  setAll(status: ServingStatus): void {
    for (const service of [...this.statuses.keys()]) this.set(service, status);
  }

  close(): void {
    for (const closer of [...this.closers]) closer();
  }

  /** Current status, then every change, until the signal aborts or the board closes. */
  async *watch(service: string, signal: AbortSignal): AsyncGenerator<ServingStatus | undefined> {
    const queue: (ServingStatus | undefined)[] = [this.get(service)];
    let wake: (() => void) | undefined;
    let done = false;
    const listener: Listener = (status) => {
      queue.push(status);
      wake?.();
    };
    const stop = (): void => {
      done = true;
      wake?.();
    };
    const listeners = this.listeners.get(service) ?? new Set<Listener>();
    this.listeners.set(service, listeners);
    listeners.add(listener);
    this.closers.add(stop);
    signal.addEventListener('abort', stop, { once: true });
    try {
      for (;;) {
        while (queue.length > 0) yield queue.shift();
        if (done || signal.aborted) return;
        await new Promise<void>((resolve) => (wake = resolve));
        wake = undefined;
      }
    } finally {
      listeners.delete(listener);
      this.closers.delete(stop);
      signal.removeEventListener('abort', stop);
    }
  }
}

type HealthResponse = MessageInitShape<typeof HealthCheckResponseSchema>;

/** grpc.health.v1.Health over a board. Served without the internal token (probes carry none). */
export function healthServiceImpl(board: HealthBoard): ServiceImpl<typeof Health> {
  return {
    check(request): Promise<HealthResponse> {
      const status = board.get(request.service);
      if (status === undefined)
        return Promise.reject(AppError.notFound(`unknown service "${request.service}"`));
      return Promise.resolve({ status });
    },
    async *watch(request, context: CallContext): AsyncGenerator<HealthResponse> {
      for await (const status of board.watch(request.service, context.signal))
        yield { status: status ?? ServingStatus.SERVICE_UNKNOWN };
    },
  };
}
