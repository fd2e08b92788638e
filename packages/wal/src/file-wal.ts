import { unlink } from 'node:fs/promises';
import { AppError } from '@o2/errors';
import type { ClosedSegment, TailRecovery } from './recover-dir.js';
import { FRAME_HEADER_BYTES, MAX_ENTRY_BYTES, encodeFrameHeader } from './segment-format.js';
import { SegmentScan } from './segment-reader.js';
import { SegmentPoisonedError, SegmentWriter } from './segment-writer.js';
import { syncDir } from './sync-dir.js';
import type { SegmentId, SegmentInfo, Wal, WalPosition, WalRecord } from './wal.js';

/**
 * Caps one group commit. Without a cap a deep queue would be written as one huge writev, and
 * the first appender in it would wait for all the others' bytes.
 */
const MAX_BATCH_BYTES = 16 * 1024 * 1024;
/** Retry-After of a disk-full refusal: space comes back when uploads drain the local files. */
const DISK_FULL_RETRY_AFTER_SECONDS = 2;

interface PendingAppend {
  kind: 'append';
  buffers: Uint8Array[];
  bytes: number;
  resolve: (position: WalPosition) => void;
  reject: (error: unknown) => void;
}

interface PendingRotate {
  kind: 'rotate';
  resolve: (segment: SegmentId) => void;
  reject: (error: unknown) => void;
}

interface PendingClose {
  kind: 'close';
  resolve: () => void;
  reject: (error: unknown) => void;
}

type Pending = PendingAppend | PendingRotate | PendingClose;

export interface FileWalParts {
  dir: string;
  fsync: boolean;
  maxSegmentBytes: number;
  maxSegmentAgeMs: number;
  now: () => number;
  closed: ClosedSegment[];
  writer: SegmentWriter;
  recovery: TailRecovery;
}

/**
 * One writer over a directory of segments. Appends, rotations and the close go through one
 * FIFO queue drained by a single loop, which is what keeps entries in call order and lets every
 * append that queued up during a write share the next write and fsync (group commit).
 */
export class FileWal implements Wal {
  readonly dir: string;
  readonly recovery: TailRecovery;
  private readonly fsync: boolean;
  private readonly maxSegmentBytes: number;
  private readonly maxSegmentAgeMs: number;
  private readonly now: () => number;
  private readonly closed: ClosedSegment[];
  private writer: SegmentWriter;
  private readonly queue: Pending[] = [];
  private draining = false;
  private closing: Promise<void> | null = null;
  /** Set when the file can no longer be trusted to hold exactly what was acknowledged. */
  private failure: AppError | null = null;
  private drops: Promise<void> = Promise.resolve();
  /** The last append's disk-full refusal, until an append succeeds again. */
  private diskFull: AppError | null = null;

  constructor(parts: FileWalParts) {
    this.dir = parts.dir;
    this.recovery = parts.recovery;
    this.fsync = parts.fsync;
    this.maxSegmentBytes = parts.maxSegmentBytes;
    this.maxSegmentAgeMs = parts.maxSegmentAgeMs;
    this.now = parts.now;
    this.closed = [...parts.closed];
    this.writer = parts.writer;
  }

  append(entry: Uint8Array | readonly Uint8Array[]): Promise<WalPosition> {
    if (this.closing !== null) return Promise.reject(closedError());
    if (this.failure !== null) return Promise.reject(this.failure);
    const chunks = entry instanceof Uint8Array ? [entry] : [...entry];
    let length = 0;
    for (const chunk of chunks) {
      if (!(chunk instanceof Uint8Array)) {
        return Promise.reject(AppError.invalidArgument('wal entries are Uint8Array chunks'));
      }
      length += chunk.byteLength;
    }
    if (length > MAX_ENTRY_BYTES) {
      return Promise.reject(
        new AppError(
          'PAYLOAD_TOO_LARGE',
          `wal entry of ${length} bytes exceeds ${MAX_ENTRY_BYTES}`,
        ),
      );
    }
    // The CRC is computed here, in the caller's turn, so the writer loop only does I/O.
    const frame = encodeFrameHeader(chunks, length);
    return new Promise<WalPosition>((resolve, reject) => {
      const bytes = FRAME_HEADER_BYTES + length;
      this.enqueue({ kind: 'append', buffers: [frame, ...chunks], bytes, resolve, reject });
    });
  }

  rotate(): Promise<SegmentId> {
    if (this.closing !== null) return Promise.reject(closedError());
    return new Promise<SegmentId>((resolve, reject) => {
      this.enqueue({ kind: 'rotate', resolve, reject });
    });
  }

  async *replay(): AsyncGenerator<WalRecord, void, void> {
    const segments = [...this.closed, this.writer].map(({ id, path }) => ({ id, path }));
    for (const { id, path } of segments) {
      // The active segment is read only up to what has been written when we reach it; bytes of
      // a write still in flight are not an entry yet.
      const limit = this.writer.id === id ? this.writer.size : undefined;
      const scan = new SegmentScan(path, { id, copy: true, limit });
      for await (const { offset, entry } of scan) {
        yield { position: { segment: id, offset }, entry };
      }
      const end = scan.end;
      if (end.kind === 'stopped') {
        throw new AppError(
          'INTERNAL',
          `wal segment ${path} is corrupt at offset ${end.offset}: ${end.detail}`,
          {
            details: JSON.stringify({ segment: id, path, offset: end.offset, reason: end.reason }),
          },
        );
      }
    }
  }

  dropThrough(segment: SegmentId): Promise<void> {
    if (!Number.isSafeInteger(segment)) {
      return Promise.reject(
        AppError.invalidArgument(`wal segment id ${segment} is not an integer`),
      );
    }
    if (segment >= this.writer.id) {
      return Promise.reject(
        AppError.invalidArgument(
          `wal segment ${segment} is not closed (active segment is ${this.writer.id}); rotate first`,
        ),
      );
    }
    const run = (): Promise<void> => this.dropNow(segment);
    const result = this.drops.then(run);
    this.drops = result.catch(() => undefined);
    return result;
  }

  degradedReason(): string | undefined {
    return (this.failure ?? this.diskFull)?.message;
  }

  segments(): SegmentInfo[] {
    return [
      ...this.closed.map((segment) => ({ ...segment, active: false })),
      { id: this.writer.id, path: this.writer.path, bytes: this.writer.size, active: true },
    ];
  }

  close(): Promise<void> {
    this.closing ??= new Promise<void>((resolve, reject) => {
      this.enqueue({ kind: 'close', resolve, reject });
    });
    return this.closing;
  }

  private enqueue(pending: Pending): void {
    this.queue.push(pending);
    if (this.draining) return;
    this.draining = true;
    void this.drain();
  }

  /** The single writer loop. Settles every queued item; never rejects itself. */
  private async drain(): Promise<void> {
    try {
      for (let head = this.queue[0]; head !== undefined; head = this.queue[0]) {
        switch (head.kind) {
          case 'append':
            await this.writeBatch();
            break;
          case 'rotate':
            this.queue.shift();
            await settle(head, () => this.rotateNow());
            break;
          case 'close':
            this.queue.shift();
            await settle(head, () => this.closeNow());
            break;
        }
      }
    } finally {
      this.draining = false;
    }
  }

  private async writeBatch(): Promise<void> {
    const head = this.queue[0];
    if (head?.kind !== 'append') return;
    if (this.failure !== null) {
      this.queue.shift();
      head.reject(this.failure);
      return;
    }
    try {
      await this.rotateIfDue(head.bytes);
    } catch (error) {
      this.queue.shift();
      this.noteDiskFull(error);
      head.reject(error);
      return;
    }
    const writer = this.writer;
    const batch: PendingAppend[] = [];
    const buffers: Uint8Array[] = [];
    let bytes = 0;
    for (let next = this.queue[0]; next?.kind === 'append'; next = this.queue[0]) {
      const fits =
        writer.size + bytes + next.bytes <= this.maxSegmentBytes &&
        bytes + next.bytes <= MAX_BATCH_BYTES;
      // The first entry always goes: one larger than a whole segment gets a segment to itself.
      if (batch.length > 0 && !fits) break;
      this.queue.shift();
      batch.push(next);
      for (const buffer of next.buffers) buffers.push(buffer);
      bytes += next.bytes;
    }
    const start = writer.size;
    try {
      await writer.append(buffers, bytes, batch.length);
    } catch (error) {
      // A write that was rolled back leaves the segment as it was; one that could not be leaves
      // garbage where the next entry would go.
      const failure =
        error instanceof SegmentPoisonedError
          ? this.fail(ioError('append', error.writeError))
          : ioError('append', error);
      this.noteDiskFull(failure);
      for (const item of batch) item.reject(failure);
      return;
    }
    if (this.fsync) {
      try {
        await writer.sync();
      } catch (error) {
        const failure = this.fail(ioError('fsync', error));
        for (const item of batch) item.reject(failure);
        return;
      }
    }
    this.diskFull = null;
    let offset = start;
    for (const item of batch) {
      item.resolve({ segment: writer.id, offset });
      offset += item.bytes;
    }
  }

  private async rotateIfDue(nextBytes: number): Promise<void> {
    const writer = this.writer;
    if (writer.entries === 0) return;
    const full = writer.size + nextBytes > this.maxSegmentBytes;
    const old = this.now() - writer.createdAtMs >= this.maxSegmentAgeMs;
    if (full || old) await this.rotateNow();
  }

  private async rotateNow(): Promise<SegmentId> {
    if (this.failure !== null) throw this.failure;
    const old = this.writer;
    if (old.entries === 0) return old.id - 1;
    // Synced whatever the fsync setting, before its successor exists: that is what makes the
    // last segment the only one that can ever end in a torn write, even after a power cut.
    try {
      await old.sync();
    } catch (error) {
      throw this.fail(ioError('fsync', error));
    }
    let next: SegmentWriter;
    try {
      next = await SegmentWriter.create(this.dir, old.id + 1, this.now());
    } catch (error) {
      throw ioError('rotate', error);
    }
    this.writer = next;
    this.closed.push({ id: old.id, path: old.path, bytes: old.size });
    await old.close();
    return old.id;
  }

  private async closeNow(): Promise<void> {
    try {
      if (this.failure === null) await this.writer.sync();
    } finally {
      await this.writer.close();
    }
  }

  private async dropNow(segment: SegmentId): Promise<void> {
    let dropped = 0;
    while (this.closed[0] !== undefined && this.closed[0].id <= segment) {
      const oldest = this.closed[0];
      try {
        await unlink(oldest.path);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw ioError('drop', error);
      }
      this.closed.shift();
      dropped += 1;
    }
    // A deletion lost to a power cut would bring back data that is already in Parquet.
    if (dropped > 0) await syncDir(this.dir);
  }

  private noteDiskFull(error: unknown): void {
    if (error instanceof AppError && isDiskFull(error.cause)) this.diskFull = error;
  }

  /**
   * Marks the WAL unusable. After a failed fsync Linux may drop the dirty pages and report
   * success to the next fsync, so nothing written since the last good sync can be vouched for;
   * only reopening (which rescans the tail) makes the WAL trustworthy again.
   */
  private fail(error: AppError): AppError {
    this.failure ??= error;
    return error;
  }
}

function isDiskFull(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code === 'ENOSPC' || code === 'EDQUOT';
}

function ioError(action: string, error: unknown): AppError {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (isDiskFull(error)) {
    // Not the request's fault and not permanent: the write was cut back off (or never
    // started), so the client may resend the same body once space is freed.
    return new AppError(
      'UNAVAILABLE',
      `write-ahead log disk is full (wal ${action} failed: ${code}); free space on the WAL volume, then retry`,
      { cause: error, retryAfterSeconds: DISK_FULL_RETRY_AFTER_SECONDS },
    );
  }
  const message = error instanceof Error ? error.message : String(error);
  return new AppError('UNAVAILABLE', `wal ${action} failed: ${message}`, { cause: error });
}

function closedError(): AppError {
  return new AppError('UNAVAILABLE', 'wal is closed');
}

async function settle<T>(
  pending: { resolve: (value: T) => void; reject: (error: unknown) => void },
  work: () => Promise<T>,
): Promise<void> {
  try {
    pending.resolve(await work());
  } catch (error) {
    pending.reject(error);
  }
}
