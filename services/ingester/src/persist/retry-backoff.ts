/** First wait after a failure; it doubles with every further failure up to the cap. */
export const BASE_BACKOFF_MS = 1_000;

/**
 * Wait before the next try after `failures` consecutive failures (1 → 1 s, 2 → 2 s, 3 → 4 s …,
 * never more than `maxMs`). Capped so a partition retries soon after its cause is fixed, and
 * doubling so a broken one costs little while it waits for quarantine or for the store.
 */
export function backoffMs(failures: number, maxMs: number): number {
  if (failures <= 0) return 0;
  const exponent = Math.min(failures - 1, 30);
  return Math.min(BASE_BACKOFF_MS * 2 ** exponent, maxMs);
}

/** How often one retried thing has failed, and when it may be tried again. */
export interface RetryState {
  /** Failures that count towards quarantine (persistent ones). */
  attempts: number;
  /** Consecutive failures of any kind (drives the wait). */
  failures: number;
  firstFailedAt: number;
  lastFailedAt: number;
  /** ms since the epoch before which the thing is not retried (unless forced). */
  nextAttemptAt: number;
  /** Redacted, short. */
  lastError: string;
}

/** The state after one more failure at `now`. */
export function afterFailure(
  state: RetryState | undefined,
  now: number,
  options: { counts: boolean; error: string; maxBackoffMs: number },
): RetryState {
  const failures = (state?.failures ?? 0) + 1;
  return {
    attempts: (state?.attempts ?? 0) + (options.counts ? 1 : 0),
    failures,
    firstFailedAt: state?.firstFailedAt ?? now,
    lastFailedAt: now,
    nextAttemptAt: now + backoffMs(failures, options.maxBackoffMs),
    lastError: options.error,
  };
}

/** True when the thing may be tried now (always when forced, e.g. an explicit flush). */
export function isDue(state: RetryState | undefined, now: number, force: boolean): boolean {
  return force || state === undefined || now >= state.nextAttemptAt;
}
