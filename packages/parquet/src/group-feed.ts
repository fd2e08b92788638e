import type { Table } from 'apache-arrow';
import { AppError } from '@o2/errors';
import { tableToIpcStreams } from './ipc-stream.js';

/**
 * The row groups of one `ParquetEncoderPool.encodeGroups` job, handed to its worker one IPC
 * stream at a time as it asks, checked as `encodeParquetGroups` checks them: each of
 * `rowGroupSize` rows but the last, `records` in all.
 */
export class GroupFeed {
  private readonly groups: Iterator<Table>;
  private written = 0;
  /** Why the feed stopped early: the job fails with it, not with the worker's echo of it. */
  failure: unknown;

  constructor(
    groups: Iterable<Table>,
    private readonly rowGroupSize: number,
    private readonly records: number,
  ) {
    this.groups = groups[Symbol.iterator]();
  }

  /**
   * The next group's IPC stream in memory from `allocate`; undefined once every group is
   * sent; 'failed' when a group breaks the file's shape or making it threw (see `failure`).
   */
  next(allocate: (bytes: number) => Uint8Array): Uint8Array | undefined | 'failed' {
    if (this.failure !== undefined) return 'failed';
    try {
      const next = this.groups.next();
      if (next.done === true) {
        if (this.written !== this.records) {
          throw AppError.invalidArgument(
            `groups held ${this.written} rows, stats say ${this.records}`,
          );
        }
        return undefined;
      }
      const group = next.value;
      if (group.numRows > this.rowGroupSize || this.written % this.rowGroupSize !== 0) {
        throw AppError.invalidArgument(
          `row groups must hold ${this.rowGroupSize} rows, the last one fewer`,
        );
      }
      this.written += group.numRows;
      return tableToIpcStreams(group, undefined, allocate).ipc;
    } catch (error) {
      this.failure = error;
      return 'failed';
    }
  }
}
