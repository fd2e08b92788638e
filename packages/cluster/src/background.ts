import type { ClusterLogger } from './cluster.js';

/**
 * Runs a user callback from a background loop: its failure (thrown or rejected) is logged, never
 * allowed to stop the loop or become an unhandled rejection.
 */
export function runCallback(
  logger: ClusterLogger | undefined,
  context: object,
  callback: (() => void | Promise<void>) | undefined,
): void {
  if (callback === undefined) return;
  const report = (err: unknown): void =>
    logger?.warn({ ...context, err }, 'cluster callback failed');
  try {
    const result = callback();
    if (result instanceof Promise) result.catch(report);
  } catch (err) {
    report(err);
  }
}

/** A timer that does not keep the process alive on its own. */
export function backgroundTimeout(fn: () => void, ms: number): NodeJS.Timeout {
  const timer = setTimeout(fn, ms);
  timer.unref();
  return timer;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Backoff before an event whose handler threw is delivered again. */
export function redeliveryDelayMs(attempt: number): number {
  return Math.min(250 * attempt, 5_000);
}

/** Runs synchronous work as a promise, so argument errors reject instead of throwing. */
export function settle<T>(work: () => T): Promise<T> {
  return new Promise((resolve) => resolve(work()));
}
