import { AppError, isAppError } from '@o2/errors';

/**
 * Runs a NATS operation; a failure that is not already an `AppError` (timeout, disconnect,
 * JetStream refusal) becomes UNAVAILABLE so callers answer 503 and may retry.
 */
export async function unavailableOnFailure<T>(
  operation: string,
  work: () => Promise<T>,
): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (isAppError(err)) throw err;
    const reason = err instanceof Error ? err.message : String(err);
    throw new AppError('UNAVAILABLE', `NATS ${operation} failed: ${reason}`, { cause: err });
  }
}
