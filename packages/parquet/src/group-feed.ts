import type { Table } from 'apache-arrow';
import { AppError } from '@o2/errors';
import { tableToIpcStreams } from './ipc-stream.js';

/**
 * The shape a file's row groups must have, checked as they come: each of `rowGroupSize` rows
 * but the last, `records` in all (the footer's stats were written before the groups).
 */
export class RowGroupShape {
  written = 0;

  constructor(
    private readonly rowGroupSize: number,
    private readonly records: number,
  ) {}

  /** Counts the next group; throws if it breaks the shape. */
  add(group: Table): void {
    if (group.numRows > this.rowGroupSize || this.written % this.rowGroupSize !== 0) {
      throw AppError.invalidArgument(
        `row groups must hold ${this.rowGroupSize} rows, the last one fewer`,
      );
    }
    this.written += group.numRows;
  }

  /** Throws unless the groups held the stats' rows. */
  end(): void {
    if (this.written !== this.records) {
      throw AppError.invalidArgument(`groups held ${this.written} rows, stats say ${this.records}`);
    }
  }
}

/**
 * The row groups of one `ParquetEncoderPool.encodeGroups` job, handed to its worker one IPC
 * stream at a time as it asks, checked as `encodeParquetGroups` checks them (`RowGroupShape`).
 */
export class GroupFeed {
  private readonly groups: Iterator<Table>;
  private readonly shape: RowGroupShape;
  /** Why the feed stopped early: the job fails with it, not with the worker's echo of it. */
  failure: unknown;

  constructor(groups: Iterable<Table>, rowGroupSize: number, records: number) {
    this.groups = groups[Symbol.iterator]();
    this.shape = new RowGroupShape(rowGroupSize, records);
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
        this.shape.end();
        return undefined;
      }
      this.shape.add(next.value);
      return tableToIpcStreams(next.value, undefined, allocate).ipc;
    } catch (error) {
      this.failure = error;
      return 'failed';
    }
  }
}
