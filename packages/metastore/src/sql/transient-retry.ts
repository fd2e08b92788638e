import { isAppError } from '@o2/errors';

export interface TransientRetryOptions {
  /** Give up once this much time has passed since the first try (the last error is thrown). */
  windowMs: number;
  /** False stops retrying at once (the database was closed meanwhile). */
  shouldRetry?: () => boolean;
  /** Told about each failed try that will be retried. */
  onRetry?: (error: unknown, attempt: number, delayMs: number) => void;
}

const FIRST_DELAY_MS = 100;
const MAX_DELAY_MS = 2_000;

/** 100 ms, doubling, capped at 2 s: a restart of a few seconds costs a handful of tries. */
export function retryDelayMs(attempt: number): number {
  return Math.min(FIRST_DELAY_MS * 2 ** (attempt - 1), MAX_DELAY_MS);
}

/** UNAVAILABLE is what the adapters make of a refused, lost or shut-down connection. */
export function isTransient(error: unknown): boolean {
  return isAppError(error) && error.code === 'UNAVAILABLE';
}

/**
 * Runs `work`, trying again with capped exponential backoff while it fails with a transient
 * (connection) error and the window lasts. Only for work that is safe to repeat: a statement
 * whose connection died may have been applied, so the repositories' writes are idempotent
 * (`ON CONFLICT DO NOTHING`) or compare-and-set (a repeat reports the conflict instead of
 * applying twice).
 */
export async function retryTransient<T>(
  work: () => Promise<T>,
  options: TransientRetryOptions,
): Promise<T> {
  const startedAt = Date.now();
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      const delayMs = retryDelayMs(attempt);
      const retry =
        isTransient(error) &&
        (options.shouldRetry?.() ?? true) &&
        Date.now() + delayMs - startedAt <= options.windowMs;
      if (!retry) throw error;
      options.onRetry?.(error, attempt, delayMs);
      await new Promise((resolve) => setTimeout(resolve, delayMs));
    }
  }
}
