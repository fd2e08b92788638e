import type { Logger } from '@o2/logger';
import { startAll, stopAll } from './lifecycle.js';
import type { Lifecycle } from './lifecycle.js';

export interface RunOptions {
  logger: Logger;
  parts: readonly Lifecycle[];
  /** Hard limit for the ordered shutdown; after it the process exits non-zero. */
  shutdownTimeoutMs?: number;
  signals?: readonly NodeJS.Signals[];
  /** Injected so tests can run this without ending the test process. */
  exit?: (code: number) => void;
}

/**
 * Starts the parts and stops them in reverse order on SIGTERM/SIGINT. Used by every main.ts so
 * shutdown behaves the same in each role: readiness off first (the router part), data flushed
 * before clients close (parts are ordered by the composition root).
 */
export async function runUntilSignal(options: RunOptions): Promise<void> {
  const { logger, parts } = options;
  const exit = options.exit ?? ((code: number) => process.exit(code));
  const timeoutMs = options.shutdownTimeoutMs ?? 30_000;
  await startAll(parts);
  logger.info({ parts: parts.map((p) => p.name) }, 'started');

  let stopping = false;
  const shutdown = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    const timer = setTimeout(() => {
      logger.error({ timeoutMs }, 'shutdown timed out');
      exit(1);
    }, timeoutMs);
    timer.unref();
    stopAll(parts).then(
      () => {
        clearTimeout(timer);
        logger.info('stopped');
        exit(0);
      },
      (err: unknown) => {
        clearTimeout(timer);
        logger.error({ err }, 'shutdown failed');
        exit(1);
      },
    );
  };
  for (const signal of options.signals ?? ['SIGTERM', 'SIGINT']) process.once(signal, shutdown);
}
