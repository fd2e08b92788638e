import { Worker } from 'node:worker_threads';
import type { Table } from 'apache-arrow';
import { AppError, ERROR_CODES } from '@o2/errors';
import type { ErrorCode } from '@o2/errors';
import type { ColumnSpec } from './column-spec.js';
import type { EncodedParquet, EncodeParquetOptions, ParquetFileStats } from './encode-parquet.js';
import { prepareEncode, writerOptions } from './encode-parquet.js';
import { BufferRecycler } from './ipc-stream.js';
import { GroupFeed } from './group-feed.js';
import { IdleWorkerTimer } from './idle-worker-timer.js';
import type { IdleWorkerOptions } from './idle-worker-timer.js';

/**
 * Nice value of background encoders (persist, compaction): CFS gives a nice-5 thread about a
 * third of a nice-0 thread's share when both want the CPU, and all of it when queries are idle.
 */
export const BACKGROUND_NICENESS = 5;

export interface ParquetEncoderPoolOptions extends IdleWorkerOptions {
  /** Worker threads (default 1). */
  size?: number;
  /** Replace a worker once it has encoded this many bytes of Arrow input (default 1 GiB). */
  recycleAfterBytes?: number;
  /** Replace a worker whose wasm memory has grown past this (default 256 MiB). */
  maxWasmMemoryBytes?: number;
  /**
   * Nice value (1…19) for the workers' threads on Linux: a background pool (persist,
   * compaction) gives way to queries and request handling when the CPUs are busy.
   */
  niceness?: number;
  /** Largest Arrow IPC buffer kept for reuse once a worker hands it back (default 64 MiB). */
  retainBufferBytes?: number;
}

export interface ParquetEncoderPoolStats {
  workers: number;
  busy: number;
  queued: number;
  /** Workers replaced so far (memory limits reached or a failed job). */
  recycled: number;
  /** Workers ended because they sat idle. */
  idleEnded: number;
  /** Bytes of Arrow IPC buffers kept for the next encodes (let go once no worker is left). */
  retainedBufferBytes: number;
}

interface Job {
  id: number;
  /** What the worker gets (see encode-worker.js), `transfer` moved rather than copied. */
  message: Record<string, unknown>;
  transfer: ArrayBuffer[];
  /** Bytes of input, counted towards `recycleAfterBytes`. */
  inputBytes: number;
  /** Stats the reply lacks (an encode's are computed on this thread). */
  stats: ParquetFileStats | undefined;
  /** What a failure is called in the error (`parquet encoding failed`). */
  task: string;
  /** An `encodeGroups` job's row groups, made when the worker pulls them. */
  groups?: GroupFeed;
  resolve: (encoded: EncodedParquet) => void;
  reject: (err: unknown) => void;
}

interface Slot {
  worker: Worker;
  job: Job | undefined;
  encodedBytes: number;
  /** Ends the worker if it stays idle (cleared when a job arrives). */
  idleTimer: NodeJS.Timeout | undefined;
}

/** The worker asks for the next row group (handing back the previous one's memory). */
type PullRequest = { id: number; pull: true; ipc?: Uint8Array };

type WorkerReply = { id: number; ipc?: Uint8Array; wasmMemoryBytes: number; pull?: undefined } & (
  | { ok: true; bytes: Uint8Array; stats?: ParquetFileStats }
  | { ok: false; message: string; code?: string }
);

const WORKER_URL = new URL('./encode-worker.js', import.meta.url);

/**
 * Encodes and merges Parquet in worker threads so the caller's event loop stays free and wasm
 * memory, which never shrinks, grows inside workers that are replaced past a limit. Arrow IPC
 * (or the files to merge) goes in and Parquet bytes come back as transferred buffers, never
 * copied through the message port. A worker runs one job at a time. Idle workers are unref'd,
 * so a forgotten pool does not hold the process open.
 */
export class ParquetEncoderPool {
  private readonly size: number;
  private readonly recycleAfterBytes: number;
  private readonly maxWasmMemoryBytes: number;
  private readonly niceness: number | undefined;
  private readonly idle: IdleWorkerTimer;
  private readonly slots: Slot[] = [];
  private readonly queue: Job[] = [];
  private readonly terminating = new Set<Promise<number>>();
  private readonly buffers: BufferRecycler;
  private nextId = 1;
  private recycled = 0;
  private idleEnded = 0;
  private closed = false;
  private closing: Promise<void> | undefined;
  private drained: (() => void) | undefined;

  constructor(options: ParquetEncoderPoolOptions = {}) {
    this.size = options.size ?? 1;
    if (!Number.isInteger(this.size) || this.size < 1) {
      throw AppError.invalidArgument(`pool size must be a positive integer, got ${this.size}`);
    }
    this.recycleAfterBytes = options.recycleAfterBytes ?? 1024 ** 3;
    this.maxWasmMemoryBytes = options.maxWasmMemoryBytes ?? 256 * 1024 ** 2;
    this.idle = new IdleWorkerTimer(options);
    this.niceness = options.niceness;
    this.buffers = new BufferRecycler(options.retainBufferBytes ?? 64 * 1024 ** 2, this.size);
  }

  get stats(): ParquetEncoderPoolStats {
    return {
      workers: this.slots.length,
      busy: this.slots.filter((s) => s.job !== undefined).length,
      queued: this.queue.length,
      recycled: this.recycled,
      idleEnded: this.idleEnded,
      retainedBufferBytes: this.buffers.retainedBytes,
    };
  }

  /** Same result as `encodeParquet(table, options)`, computed in a worker. */
  encode = async (table: Table, options: EncodeParquetOptions = {}): Promise<EncodedParquet> => {
    this.checkOpen();
    // One IPC stream per row group: the worker writes the file a row group at a time, so its
    // wasm memory stays near one row group's size (`writeParquetFromIpcStreams`).
    const { ipc, streamEnds, writer, stats } = prepareEncode(
      table,
      options,
      this.buffers.take,
      true,
    );
    // The IPC buffer is ours (from `buffers`): it moves to the worker and comes back with the reply.
    const message = { kind: 'encode', ipc, streamEnds, options: writer };
    const transfer = [ipc.buffer as ArrayBuffer];
    return this.submit(message, transfer, ipc.byteLength, stats, 'parquet encoding');
  };

  /**
   * Same result as `encodeParquetGroups(groups, stats, options)`, computed in a worker that
   * asks for each group when its writer wants it: the group's copy and IPC are made then, so a
   * file of any size holds one row group's worth of memory on this thread and in wasm (a
   * persist no longer makes a whole-table copy or IPC). Groups come in file order, each of
   * `rowGroupSize` rows but the last.
   */
  encodeGroups = async (
    groups: Iterable<Table>,
    stats: ParquetFileStats,
    options: EncodeParquetOptions = {},
  ): Promise<EncodedParquet> => {
    this.checkOpen();
    if (stats.records === 0) throw AppError.invalidArgument('cannot encode an empty table');
    const writer = writerOptions(options, stats);
    const feed = new GroupFeed(groups, writer.rowGroupSize, stats.records);
    const message = { kind: 'encode-groups', options: writer };
    return this.submit(message, [], 0, stats, 'parquet encoding', feed);
  };

  /**
   * Same result as `mergeParquetFiles(files, schema, options)` (decode, union schema, sort,
   * encode), computed in a worker: on the compactor's inputs that is seconds of synchronous
   * wasm and copying this thread no longer stalls on. The files' memory moves to the worker
   * when it is theirs alone (a view of a larger or shared buffer is copied), so the caller must
   * not use them afterwards.
   */
  merge = async (
    files: readonly Uint8Array[],
    schema: readonly ColumnSpec[] = [],
    options: EncodeParquetOptions = {},
  ): Promise<EncodedParquet> => {
    this.checkOpen();
    if (files.length === 0) throw AppError.invalidArgument('nothing to merge');
    const owned = files.map((f) =>
      f.byteOffset === 0 && f.byteLength === f.buffer.byteLength && f.buffer instanceof ArrayBuffer
        ? f
        : f.slice(),
    );
    const message = { kind: 'merge', files: owned, schema, options };
    const transfer = owned.map((f) => f.buffer as ArrayBuffer);
    const inputBytes = owned.reduce((sum, f) => sum + f.byteLength, 0);
    return this.submit(message, transfer, inputBytes, undefined, 'parquet merge');
  };

  /**
   * Closes without waiting: queued and running jobs reject with UNAVAILABLE and every worker is
   * ended. For work that is redone anyway (a compaction merge writes nothing until it has its
   * result) when waiting for it could outlast a shutdown.
   */
  async abandon(): Promise<void> {
    this.closed = true;
    const gone = new AppError('UNAVAILABLE', 'parquet encoder pool was abandoned');
    for (const job of this.queue.splice(0)) job.reject(gone);
    for (const slot of this.slots.splice(0)) {
      slot.job?.reject(gone);
      slot.job = undefined;
      this.retire(slot);
    }
    this.drained?.();
    this.drained = undefined;
    await Promise.all(this.terminating);
  }

  private checkOpen(): void {
    if (this.closed) throw new AppError('UNAVAILABLE', 'parquet encoder pool is closed');
  }

  private submit(
    message: Job['message'],
    transfer: ArrayBuffer[],
    inputBytes: number,
    stats: ParquetFileStats | undefined,
    task: string,
    groups?: GroupFeed,
  ): Promise<EncodedParquet> {
    return new Promise<EncodedParquet>((resolve, reject) => {
      const id = this.nextId++;
      this.queue.push({
        id,
        message: { ...message, id },
        transfer,
        inputBytes,
        stats,
        task,
        resolve,
        reject,
        ...(groups === undefined ? {} : { groups }),
      });
      this.pump();
    });
  }

  /** Stops taking work, waits for queued and running jobs, then ends every worker. */
  close(): Promise<void> {
    this.closing ??= this.shutDown();
    return this.closing;
  }

  private async shutDown(): Promise<void> {
    this.closed = true;
    if (this.queue.length > 0 || this.slots.some((s) => s.job !== undefined)) {
      await new Promise<void>((resolve) => (this.drained = resolve));
    }
    for (const slot of this.slots.splice(0)) this.retire(slot);
    await Promise.all(this.terminating);
  }

  private pump(): void {
    while (this.queue.length > 0) {
      const slot = this.slots.find((s) => s.job === undefined) ?? this.spawn();
      if (slot === undefined) return;
      this.dispatch(slot, this.queue.shift()!);
    }
    if (this.drained !== undefined && this.slots.every((s) => s.job === undefined)) {
      this.drained();
      this.drained = undefined;
    }
  }

  private spawn(): Slot | undefined {
    if (this.slots.length >= this.size) return undefined;
    const worker = new Worker(WORKER_URL, { workerData: { niceness: this.niceness } });
    const slot: Slot = { worker, job: undefined, encodedBytes: 0, idleTimer: undefined };
    slot.worker.on('message', (reply: WorkerReply | PullRequest) => this.onReply(slot, reply));
    slot.worker.on('error', (err) => this.onFailure(slot, err));
    slot.worker.on('exit', (code) => this.onFailure(slot, new Error(`worker exited with ${code}`)));
    this.slots.push(slot);
    return slot;
  }

  private dispatch(slot: Slot, job: Job): void {
    slot.job = job;
    this.idle.disarm(slot);
    slot.worker.ref();
    slot.encodedBytes += job.inputBytes;
    slot.worker.postMessage(job.message, job.transfer);
  }

  private onReply(slot: Slot, reply: WorkerReply | PullRequest): void {
    const job = slot.job;
    if (job === undefined || job.id !== reply.id) return;
    if (reply.ipc !== undefined) this.buffers.give(reply.ipc.buffer as ArrayBuffer);
    if (reply.pull === true) {
      this.feed(slot, job);
      return;
    }
    slot.job = undefined;
    if (job.groups?.failure !== undefined) {
      job.reject(job.groups.failure);
    } else if (reply.ok) {
      job.resolve({
        ...(reply.stats ?? job.stats!),
        bytes: reply.bytes,
        compressedSize: reply.bytes.byteLength,
      });
    } else {
      job.reject(failedJob(job.task, reply));
    }
    const worn =
      !reply.ok ||
      job.groups?.failure !== undefined ||
      slot.encodedBytes >= this.recycleAfterBytes ||
      reply.wasmMemoryBytes >= this.maxWasmMemoryBytes;
    if (worn) {
      this.remove(slot);
      this.retire(slot);
      this.recycled++;
    } else {
      slot.worker.unref();
      this.endWhenIdle(slot, reply.wasmMemoryBytes);
    }
    this.pump();
  }

  /** Answers a worker's pull with the job's next row group, none when all are sent. */
  private feed(slot: Slot, job: Job): void {
    const feed = job.groups;
    if (feed === undefined) return;
    const piece = feed.next(this.buffers.take);
    if (piece === 'failed') {
      slot.worker.postMessage({ kind: 'piece', id: job.id, failed: true });
    } else if (piece === undefined) {
      slot.worker.postMessage({ kind: 'piece', id: job.id });
    } else {
      slot.encodedBytes += piece.byteLength;
      slot.worker.postMessage({ kind: 'piece', id: job.id, ipc: piece }, [
        piece.buffer as ArrayBuffer,
      ]);
    }
  }

  /** Ends the worker once it has sat idle (see `IdleWorkerTimer`). */
  private endWhenIdle(slot: Slot, wasmMemoryBytes: number): void {
    this.idle.arm(slot, wasmMemoryBytes, () => {
      if (slot.job !== undefined || !this.remove(slot)) return;
      this.retire(slot);
      this.idleEnded++;
      // The last worker gone idle: the IPC buffers kept for its next encode (up to 64 MiB each)
      // would otherwise stay allocated for as long as the pool is quiet.
      if (this.slots.length === 0) this.buffers.clear();
    });
  }

  /** A worker died or threw outside a job: fail its job and forget it; the next job spawns anew. */
  private onFailure(slot: Slot, err: Error): void {
    if (!this.remove(slot)) return;
    this.recycled++;
    slot.job?.reject(AppError.internal(`${slot.job.task} worker failed`, err));
    slot.job = undefined;
    this.retire(slot);
    this.pump();
  }

  private remove(slot: Slot): boolean {
    const index = this.slots.indexOf(slot);
    if (index < 0) return false;
    this.slots.splice(index, 1);
    return true;
  }

  private retire(slot: Slot): void {
    this.idle.disarm(slot);
    slot.worker.removeAllListeners();
    // An 'error' after removal must not crash the process as an unhandled event.
    slot.worker.on('error', () => undefined);
    const done = slot.worker.terminate();
    this.terminating.add(done);
    const forget = (): void => void this.terminating.delete(done);
    done.then(forget, forget);
  }
}

/**
 * A job's failure as the caller would have seen it on its own thread: a bad input stays
 * INVALID_ARGUMENT (the worker's AppError code comes with its message); anything else is INTERNAL.
 */
function failedJob(task: string, reply: { message: string; code?: string }): AppError {
  if (
    reply.code !== undefined &&
    reply.code !== 'INTERNAL' &&
    ERROR_CODES.includes(reply.code as ErrorCode)
  ) {
    return new AppError(reply.code as ErrorCode, reply.message);
  }
  return AppError.internal(`${task} failed`, new Error(reply.message));
}
