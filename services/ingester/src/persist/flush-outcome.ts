import { AppError, isAppError } from '@o2/errors';
import { classifyFailure, describeFailure } from './failure-class.js';
import type { RetryOutcome } from './persister.js';
import type { UploadOutcome } from './uploader.js';

/**
 * Why an explicit flush did not finish (undefined when it did): some partitions are still
 * being retried. Their rows are safe on local disk; the caller learns it must ask again.
 */
export function incompleteFlush(
  persisted: RetryOutcome | undefined,
  uploaded: UploadOutcome | undefined,
): AppError | undefined {
  const tables = persisted?.pending ?? 0;
  const uploads = uploaded?.pending ?? 0;
  if (tables === 0 && uploads === 0) return undefined;
  const parts = [
    ...(tables > 0 ? [`${tables} table(s) not yet written as Parquet`] : []),
    ...(uploads > 0 ? [`${uploads} upload(s) not yet stored`] : []),
  ];
  const reason = persisted?.error ?? uploaded?.error;
  return new AppError(
    'UNAVAILABLE',
    `flush incomplete, retrying: ${parts.join(', ')}${reason === undefined ? '' : ` (${reason})`}`,
    { retryAfterSeconds: 1 },
  );
}

/**
 * A cycle that failed as a whole (e.g. the disk is full, so not even pending files could be
 * written): an AppError the HTTP and gRPC edges can answer with a clear message. The rows stay
 * in memory and in the WAL.
 */
export function flushFailure(error: unknown): never {
  if (isAppError(error)) throw error;
  const transient = classifyFailure(error) === 'transient';
  throw new AppError(
    transient ? 'UNAVAILABLE' : 'INTERNAL',
    `flush failed, the rows stay in the WAL: ${describeFailure(error)}`,
    { cause: error, ...(transient ? { retryAfterSeconds: 1 } : {}) },
  );
}
