/** When a worker pool ends a worker that sat idle (the encoder pool's and the index pool's). */
export interface IdleWorkerOptions {
  /**
   * End a worker idle this long (default 60 s): its isolate and wasm memory go back to the OS,
   * and the next job pays a worker start (~0.1-0.4 s) off the caller's thread.
   */
  idleMs?: number;
  /**
   * End sooner, after `largeIdleMs` (default 2 s), a worker whose wasm memory grew past this
   * (default 16 MiB): a memory that size holds one large job and would otherwise sit unused
   * until the next one, while a busy pool (persist, uploads, compaction) never waits that long.
   * (Workers of 20-60 MiB sat out the 60 s limit after every burst: idle RSS.)
   */
  largeWasmMemoryBytes?: number;
  largeIdleMs?: number;
}

/** A pool's slot as the timer sees it: the pending idle timer, if any. */
export interface IdleTimed {
  idleTimer: NodeJS.Timeout | undefined;
}

/** Arms and clears the idle timers of a pool's workers (see `IdleWorkerOptions`). */
export class IdleWorkerTimer {
  private readonly idleMs: number;
  private readonly largeWasmMemoryBytes: number;
  private readonly largeIdleMs: number;

  constructor(options: IdleWorkerOptions = {}) {
    this.idleMs = options.idleMs ?? 60_000;
    this.largeWasmMemoryBytes = options.largeWasmMemoryBytes ?? 16 * 1024 ** 2;
    this.largeIdleMs = options.largeIdleMs ?? 2_000;
  }

  /**
   * Runs `onIdle` once `slot` has sat idle for as long as its wasm memory allows; the pool may
   * still hand it a queued job first, whose dispatch `disarm`s it.
   */
  arm(slot: IdleTimed, wasmMemoryBytes: number, onIdle: () => void): void {
    const after = wasmMemoryBytes >= this.largeWasmMemoryBytes ? this.largeIdleMs : this.idleMs;
    slot.idleTimer = setTimeout(() => {
      slot.idleTimer = undefined;
      onIdle();
    }, after);
    // A pending idle timer must not hold the process open, like the unref'd worker itself.
    slot.idleTimer.unref();
  }

  /** Clears `slot`'s timer: a job arrived, or the worker is being retired. */
  disarm(slot: IdleTimed): void {
    clearTimeout(slot.idleTimer);
    slot.idleTimer = undefined;
  }
}
