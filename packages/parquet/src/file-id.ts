import { randomBytes, randomInt } from 'node:crypto';
import { AppError } from '@o2/errors';

/** Decimal snowflake followed by 4 lower-case hex characters. */
export const FILE_ID_PATTERN = /^[0-9]{1,20}[0-9a-f]{4}$/;

const NODE_BITS = 10n;
const SEQUENCE_BITS = 12n;
const MAX_SEQUENCE = (1 << Number(SEQUENCE_BITS)) - 1;
const MAX_NODE_ID = (1 << Number(NODE_BITS)) - 1;

/**
 * Milliseconds are counted from the Unix epoch: O2's own ids decode that way (its example
 * `7099303408192061440` is 2023-08-21T08:17:11Z), so our keys sort among O2-written ones.
 */
export const FILE_ID_EPOCH_MS = 0;

export interface FileIdGeneratorOptions {
  /** 10-bit node id (0–1023) so ingesters never collide; random when left out. */
  nodeId?: number;
}

/**
 * Parquet file ids shaped like O2's: a snowflake number (ms << 22 | node << 12 | sequence) in
 * decimal followed by 4 hex characters. Ids from one generator strictly increase, even when
 * the clock stands still or steps back (the sequence runs on, borrowing the next millisecond).
 */
export class FileIdGenerator {
  readonly nodeId: number;
  private lastMs = -1;
  private sequence = 0;

  constructor(options: FileIdGeneratorOptions = {}) {
    const nodeId = options.nodeId ?? randomInt(MAX_NODE_ID + 1);
    if (!Number.isInteger(nodeId) || nodeId < 0 || nodeId > MAX_NODE_ID) {
      throw AppError.invalidArgument(`nodeId must be an integer in 0..${MAX_NODE_ID}`);
    }
    this.nodeId = nodeId;
  }

  /** A new id; `now` is the wall clock in ms (tests pass their own). */
  next(now: number = Date.now()): string {
    const ms = Math.floor(now) - FILE_ID_EPOCH_MS;
    if (ms > this.lastMs) {
      this.lastMs = ms;
      this.sequence = 0;
    } else if (this.sequence < MAX_SEQUENCE) {
      this.sequence++;
    } else {
      this.lastMs++;
      this.sequence = 0;
    }
    const snowflake =
      (BigInt(this.lastMs) << (NODE_BITS + SEQUENCE_BITS)) |
      (BigInt(this.nodeId) << SEQUENCE_BITS) |
      BigInt(this.sequence);
    return `${snowflake}${randomBytes(2).toString('hex')}`;
  }
}

const processGenerator = new FileIdGenerator();

/** A new file id from this process's generator (monotonic within the process). */
export function generateFileId(now?: number): string {
  return processGenerator.next(now);
}

/** The ms timestamp encoded in a file id (the snowflake part before the 4 hex characters). */
export function fileIdTime(id: string): number {
  if (!FILE_ID_PATTERN.test(id)) throw AppError.invalidArgument(`not a file id: ${id}`);
  return Number(BigInt(id.slice(0, -4)) >> (NODE_BITS + SEQUENCE_BITS)) + FILE_ID_EPOCH_MS;
}
