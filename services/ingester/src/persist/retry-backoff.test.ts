import { describe, expect, it } from 'vitest';
import { afterFailure, backoffMs, isDue } from './retry-backoff.js';

describe('retry backoff', () => {
  it('doubles from 1 s and stops at the cap', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 7, 100].map((n) => backoffMs(n, 60_000))).toEqual([
      0, 1_000, 2_000, 4_000, 8_000, 16_000, 32_000, 60_000, 60_000,
    ]);
    expect(backoffMs(3, 1_500)).toBe(1_500);
  });

  it('counts only persistent failures towards quarantine but backs off on every failure', () => {
    const opts = (counts: boolean) => ({ counts, error: 'boom', maxBackoffMs: 60_000 });
    const first = afterFailure(undefined, 1_000, opts(false));
    expect(first).toEqual({
      attempts: 0,
      failures: 1,
      firstFailedAt: 1_000,
      lastFailedAt: 1_000,
      nextAttemptAt: 2_000,
      lastError: 'boom',
    });
    const second = afterFailure(first, 3_000, opts(true));
    expect([second.attempts, second.failures, second.firstFailedAt, second.nextAttemptAt]).toEqual([
      1, 2, 1_000, 5_000,
    ]);
    expect(isDue(second, 4_999, false)).toBe(false);
    expect(isDue(second, 5_000, false)).toBe(true);
    expect(isDue(second, 4_000, true)).toBe(true);
    expect(isDue(undefined, 0, false)).toBe(true);
  });
});
