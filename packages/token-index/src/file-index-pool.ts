import { Worker } from 'node:worker_threads';
import { AppError } from '@o2/errors';
import { IdleWorkerTimer } from '@o2/parquet';
import type { IdleWorkerOptions } from '@o2/parquet';
import type { FileIndexes, FileIndexRequest } from './file-indexes.js';

/** Idle workers end as the encoder pool's do: an upload burst left 75-90 MiB of wasm each. */
export interface FileIndexPoolOptions extends IdleWorkerOptions {
  /** Worker threads (default 1). */
  size?: number;
  /** Nice value (1…19) of the workers' threads on Linux, e.g. BACKGROUND_NICENESS. */
  niceness?: number;
  /** Replace a worker whose wasm memory (the Parquet decoder's, never shrinks) grew past this. */
  maxWasmMemoryBytes?: number;
  /** Jobs waiting for a worker past which `build` fails with UNAVAILABLE (default 64). */
  maxQueued?: number;
}

export interface FileIndexPoolStats {
  workers: number;
  /** Workers ended because they sat idle. */
  idleEnded: number;
}

/** @internal The message a worker gets. */
export interface FileIndexJob {
  id: number;
  body: Uint8Array;
  request: FileIndexRequest;
}

/** @internal The message a worker answers with. */
export type FileIndexReply = { id: number; wasmMemoryBytes: number } & (
  ({ ok: true } & FileIndexes) | { ok: false; message: string }
);

interface Job extends FileIndexJob {
  resolve: (indexes: FileIndexes) => void;
  reject: (err: unknown) => void;
}

interface Slot {
  worker: Worker;
  job: Job | undefined;
  /** Ends the worker if it stays idle (cleared when a job arrives). */
  idleTimer: NodeJS.Timeout | undefined;
}

// Under vitest this module is src/*.ts and so is the worker: it runs through the TypeScript
// source hooks of @o2/parquet (`@o2/parquet/ts-source-hooks`).
// From dist/ both are compiled JS and the worker loads as is.
const FROM_SOURCE = import.meta.url.endsWith('.ts');
const WORKER_URL = new URL(`./file-index-worker.${FROM_SOURCE ? 'ts' : 'js'}`, import.meta.url);
// The worker inherits this thread's options; from src/ it also loads the hooks.
const SOURCE_OPTIONS = FROM_SOURCE
  ? {
      execArgv: [
        ...process.execArgv,
        '--import',
        new URL('./register-source-hooks.js', import.meta.url).href,
      ],
    }
  : {};

/**
 * Builds data files' side indexes (`buildFileIndexes`) in worker threads, so decoding the
 * indexed columns and tokenising them (a quarter of a busy ingester's JS time) neither holds up
 * requests and queries on the event loop nor competes with them at equal priority. The file's
 * bytes are copied to the worker (the caller still uploads them); the indexes move back.
 * Idle workers are unref'd, so a forgotten pool does not hold the process open.
 */
export class FileIndexPool {
  private readonly size: number;
  private readonly niceness: number | undefined;
  private readonly maxWasmMemoryBytes: number;
  private readonly maxQueued: number;
  private readonly idle: IdleWorkerTimer;
  private idleEnded = 0;
  private readonly slots: Slot[] = [];
  private readonly queue: Job[] = [];
  private readonly terminating = new Set<Promise<number>>();
  private nextId = 1;
  private closed = false;
  private closing: Promise<void> | undefined;
  private drained: (() => void) | undefined;

  constructor(options: FileIndexPoolOptions = {}) {
    this.size = options.size ?? 1;
    if (!Number.isInteger(this.size) || this.size < 1) {
      throw AppError.invalidArgument(`pool size must be a positive integer, got ${this.size}`);
    }
    this.niceness = options.niceness;
    this.maxWasmMemoryBytes = options.maxWasmMemoryBytes ?? 512 * 1024 ** 2;
    this.maxQueued = options.maxQueued ?? 64;
    this.idle = new IdleWorkerTimer(options);
  }

  get stats(): FileIndexPoolStats {
    return { workers: this.slots.length, idleEnded: this.idleEnded };
  }

  /** Same result as `buildFileIndexes(body, request)`, computed in a worker. */
  build = async (body: Uint8Array, request: FileIndexRequest): Promise<FileIndexes> => {
    if (this.closed) throw new AppError('UNAVAILABLE', 'file index pool is closed');
    if (this.queue.length >= this.maxQueued) {
      throw new AppError('UNAVAILABLE', `file index pool has ${this.queue.length} jobs queued`);
    }
    return new Promise<FileIndexes>((resolve, reject) => {
      // A copy of exactly the view, moved to the worker: cloning a view would clone its whole
      // (maybe pooled) buffer, and `body.slice()` of a Buffer is no copy at all.
      const job = { id: this.nextId++, body: new Uint8Array(body), request, resolve, reject };
      this.queue.push(job);
      this.pump();
    });
  };

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
    const worker = new Worker(WORKER_URL, {
      workerData: { niceness: this.niceness },
      ...SOURCE_OPTIONS,
    });
    const slot: Slot = { worker, job: undefined, idleTimer: undefined };
    worker.on('message', (reply: FileIndexReply) => this.onReply(slot, reply));
    worker.on('error', (err) => this.onFailure(slot, err));
    worker.on('exit', (code) => this.onFailure(slot, new Error(`worker exited with ${code}`)));
    this.slots.push(slot);
    return slot;
  }

  private dispatch(slot: Slot, job: Job): void {
    slot.job = job;
    this.idle.disarm(slot);
    slot.worker.ref();
    const message: FileIndexJob = { id: job.id, body: job.body, request: job.request };
    slot.worker.postMessage(message, [job.body.buffer as ArrayBuffer]);
  }

  private onReply(slot: Slot, reply: FileIndexReply): void {
    const job = slot.job;
    if (job === undefined || job.id !== reply.id) return;
    slot.job = undefined;
    if (reply.ok) {
      const indexes: FileIndexes = {};
      if (reply.tokens !== undefined) indexes.tokens = reply.tokens;
      if (reply.traceIds !== undefined) indexes.traceIds = reply.traceIds;
      job.resolve(indexes);
    } else {
      job.reject(AppError.internal('building file indexes failed', new Error(reply.message)));
    }
    if (!reply.ok || reply.wasmMemoryBytes >= this.maxWasmMemoryBytes) {
      this.remove(slot);
      this.retire(slot);
    } else {
      slot.worker.unref();
      this.endWhenIdle(slot, reply.wasmMemoryBytes);
    }
    this.pump();
  }

  /** Ends the worker once it has sat idle (see `IdleWorkerTimer`). */
  private endWhenIdle(slot: Slot, wasmMemoryBytes: number): void {
    this.idle.arm(slot, wasmMemoryBytes, () => {
      if (slot.job !== undefined || !this.remove(slot)) return;
      this.retire(slot);
      this.idleEnded++;
    });
  }

  /** A worker died or threw outside a job: fail its job and forget it; the next job spawns anew. */
  private onFailure(slot: Slot, err: Error): void {
    if (!this.remove(slot)) return;
    slot.job?.reject(AppError.internal('file index worker failed', err));
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
