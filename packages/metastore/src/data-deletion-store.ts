import type { StreamRef } from '@o2/domain';

// ---------------------------------------------------------------- data deletions

/**
 * A request to delete a stream's data in a time range (O2's `data_by_time_range`), carried out by
 * the compactor leader. Recorded by the router, so a compactor restart resumes it.
 */
export interface DataDeletion extends StreamRef {
  id: number;
  /** The range, µs, half-open [startTs, endTs); whole hour partitions inside it are deleted. */
  startTs: number;
  endTs: number;
  requestedAt: number;
  /** Set when done. */
  completedAt?: number;
  /** Files it deleted (0 while pending). */
  files: number;
}

export interface DataDeletionRepository {
  request(ref: StreamRef, startTs: number, endTs: number): Promise<DataDeletion>;
  /** One job of the org; undefined for another org's id. */
  get(org: string, id: number): Promise<DataDeletion | undefined>;
  /** Jobs not yet completed, oldest first. */
  pending(limit: number): Promise<DataDeletion[]>;
  /** Marks the job done with the number of files it deleted; false when already done. */
  complete(id: number, files: number): Promise<boolean>;
}
