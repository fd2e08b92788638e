import { MethodOptions_IdempotencyLevel } from '@bufbuild/protobuf/wkt';
import type { DescMethod } from '@bufbuild/protobuf';
import type { AppError } from '@o2/errors';

/** How a client retries idempotent calls that failed with UNAVAILABLE. */
export interface RetryPolicy {
  /** Attempts in all, the first included; 1 disables retries. */
  maxAttempts: number;
  /** Base delay before the first retry. */
  initialBackoffMs: number;
  /** Ceiling of one delay, jitter included (a server's retry-after may ask for more). */
  maxBackoffMs: number;
  /** Growth of the base delay per attempt. */
  multiplier: number;
  /** Each delay is the base ± this fraction, so clients that failed together don't return together. */
  jitter: number;
}

export const DEFAULT_RETRY_POLICY: Readonly<RetryPolicy> = {
  maxAttempts: 4,
  initialBackoffMs: 100,
  maxBackoffMs: 2_000,
  multiplier: 2,
  jitter: 0.2,
};

/** Whether the proto declares the RPC safe to repeat (`idempotency_level`). */
export function isIdempotent(method: DescMethod): boolean {
  return (
    method.idempotency === MethodOptions_IdempotencyLevel.IDEMPOTENT ||
    method.idempotency === MethodOptions_IdempotencyLevel.NO_SIDE_EFFECTS
  );
}

/**
 * Milliseconds to wait before attempt `attempt + 1` (attempt counts from 1), or undefined when
 * the call must not be retried: not idempotent, not UNAVAILABLE, attempts used up. A server's
 * retry-after is honoured as a lower bound — it knows when it expects to have room again.
 */
export function retryDelayMs(
  error: AppError,
  attempt: number,
  idempotent: boolean,
  policy: RetryPolicy,
  random: () => number = Math.random,
): number | undefined {
  if (!idempotent || error.code !== 'UNAVAILABLE' || attempt >= policy.maxAttempts)
    return undefined;
  const base = Math.min(
    policy.maxBackoffMs,
    policy.initialBackoffMs * policy.multiplier ** (attempt - 1),
  );
  const jittered = Math.min(policy.maxBackoffMs, base * (1 + policy.jitter * (2 * random() - 1)));
  return Math.max(jittered, (error.retryAfterSeconds ?? 0) * 1000);
}
