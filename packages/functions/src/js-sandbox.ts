import { newQuickJSWASMModule } from 'quickjs-emscripten';
import type {
  QuickJSContext,
  QuickJSHandle,
  QuickJSRuntime,
  QuickJSWASMModule,
} from 'quickjs-emscripten';
import { AppError } from '@o2/errors';

/**
 * JavaScript functions (transType 1) run inside QuickJS compiled to WebAssembly: a separate
 * interpreter with its own heap, so a program can reach nothing of this process. Its globals
 * are the ECMAScript built-ins only (no require, import, fetch, timers, process or I/O), and
 * values cross the boundary as JSON text, never as host objects. Each compiled function has a
 * module, runtime and context of its own (kept between calls: a fresh runtime per call costs
 * milliseconds), with a memory cap, a stack cap and a per-call deadline checked by the
 * interpreter's interrupt handler, so a loop or a huge allocation ends that call only. After a
 * failed call the context is thrown away and the next call starts from a clean one; what one
 * call leaves in its globals is only ever seen by later calls of the same function.
 *
 * Memory: this QuickJS build cannot measure its blocks (no malloc_usable_size), so its own
 * limit only refuses a single allocation above the cap. The interrupt handler also watches the
 * module's WebAssembly memory: growth beyond the cap during a call ends it. A module whose
 * memory has grown past a few caps (or that failed inside the engine) is replaced, so no
 * function holds more than that for long.
 */

export interface JsLimits {
  /** Wall time one call may run, ms. */
  timeMs: number;
  /** Heap one call may use, bytes. */
  memoryBytes: number;
  /** Interpreter stack, bytes (deep recursion fails with a RangeError/InternalError). */
  stackBytes: number;
}

export const DEFAULT_JS_LIMITS: JsLimits = {
  timeMs: 500,
  memoryBytes: 32 * 1024 * 1024,
  // QuickJS frames also use the host's native stack; this keeps QuickJS's own overflow check
  // ahead of V8's.
  stackBytes: 128 * 1024,
};

/** Bytes of the module's WebAssembly memory (its heap; it grows and never shrinks). */
function heapBytes(module: QuickJSWASMModule): number {
  // The WebAssembly namespace is not in this project's lib; only `buffer` is read.
  const memory = module.getWasmMemory() as unknown as { buffer: ArrayBuffer };
  return memory.buffer.byteLength;
}

/** A module is replaced once its memory exceeds this many call caps. */
const MODULE_MEMORY_CAPS = 4;

// Runs inside the sandbox, once per session: the source reaches it as a string and becomes a
// function of `row` there; each call's event arrives as JSON text and leaves as JSON text.
const FACTORY = `(function (source) {
  const fn = new Function('row', source);
  const parse = JSON.parse;
  const stringify = JSON.stringify;
  return function (input) {
    const row = parse(input);
    const out = fn(row);
    const text = stringify(out === undefined ? row : out);
    return text === undefined ? 'null' : text;
  };
})`;

/** Time a session gets to parse the source: a loaded machine must not turn it into a 400. */
const OPEN_TIME_MS = 2000;

interface Session {
  module: QuickJSWASMModule;
  runtime: QuickJSRuntime;
  ctx: QuickJSContext;
  runner: QuickJSHandle;
}

export type JsOutcome = { ok: true; value: unknown } | { ok: false; error: string };

function errorText(ctx: QuickJSContext, handle: QuickJSHandle): string {
  const dumped: unknown = ctx.dump(handle);
  if (dumped !== null && typeof dumped === 'object') {
    const { name, message } = dumped as { name?: unknown; message?: unknown };
    if (typeof message === 'string') {
      return typeof name === 'string' && name !== '' ? `${name}: ${message}` : message;
    }
  }
  return String(dumped);
}

export class JsFunction {
  private module: QuickJSWASMModule | undefined;
  private baseBytes = 0;
  private replacing: Promise<void> | undefined;
  private session: Session | undefined;
  /** The current call's budget, read by the interrupt handler. */
  private readonly budget = { deadline: 0, startBytes: 0, outOfTime: false, outOfMemory: false };

  private constructor(
    private readonly source: string,
    private readonly limits: JsLimits,
  ) {}

  /** INVALID_ARGUMENT when the source does not parse as a function body. */
  static async compile(source: string, limits: JsLimits = DEFAULT_JS_LIMITS): Promise<JsFunction> {
    const fn = new JsFunction(source, limits);
    await fn.replace();
    const opened = fn.open();
    if ('error' in opened)
      throw AppError.invalidArgument(`JavaScript compile error: ${opened.error}`);
    return fn;
  }

  /** Runs the program on a copy of `event` (JSON in, JSON out). */
  run(event: unknown): JsOutcome {
    let input: string;
    try {
      input = JSON.stringify(event) ?? 'null';
    } catch (error) {
      return { ok: false, error: `event is not JSON: ${(error as Error).message}` };
    }
    const session = this.session ?? this.open();
    if ('error' in session) return { ok: false, error: session.error };
    this.startBudget(session.module, this.limits.timeMs);
    let out: JsOutcome;
    try {
      const arg = session.ctx.newString(input);
      try {
        out = this.settle(
          session.ctx,
          session.ctx.callFunction(session.runner, session.ctx.undefined, arg),
        );
      } finally {
        arg.dispose();
      }
    } catch (error) {
      this.engineFailed(error);
      return { ok: false, error: `JavaScript engine error: ${String(error)}` };
    }
    if (heapBytes(session.module) - this.baseBytes > MODULE_MEMORY_CAPS * this.limits.memoryBytes) {
      this.closeSession();
      this.module = undefined;
      void this.replace();
    }
    if (out.ok) {
      if (typeof out.value !== 'string') return { ok: false, error: 'function returned no JSON' };
      return { ok: true, value: JSON.parse(out.value) as unknown };
    }
    this.closeSession();
    return { ok: false, error: this.explain(out.error, this.limits.timeMs) };
  }

  /** Loads a fresh module (its memory starts small again). */
  private replace(): Promise<void> {
    this.replacing ??= newQuickJSWASMModule().then((module) => {
      this.module = module;
      this.baseBytes = heapBytes(module);
      this.replacing = undefined;
    });
    return this.replacing;
  }

  private startBudget(module: QuickJSWASMModule, timeMs: number): void {
    this.budget.deadline = Date.now() + timeMs;
    this.budget.startBytes = heapBytes(module);
    this.budget.outOfTime = false;
    this.budget.outOfMemory = false;
  }

  /** A runtime and context with the source compiled in them, or why that failed. */
  private open(): Session | { error: string } {
    const module = this.module;
    if (module === undefined) return { error: 'JavaScript engine is restarting' };
    this.startBudget(module, Math.max(this.limits.timeMs, OPEN_TIME_MS));
    try {
      const runtime = module.newRuntime();
      runtime.setMemoryLimit(this.limits.memoryBytes);
      runtime.setMaxStackSize(this.limits.stackBytes);
      runtime.setInterruptHandler(() => {
        const b = this.budget;
        b.outOfMemory = heapBytes(module) - b.startBytes > this.limits.memoryBytes;
        b.outOfTime = Date.now() >= b.deadline;
        return b.outOfMemory || b.outOfTime;
      });
      const ctx = runtime.newContext();
      const made = this.settleHandle(ctx, ctx.evalCode(FACTORY), (factory) => {
        const src = ctx.newString(this.source);
        try {
          return ctx.callFunction(factory, ctx.undefined, src);
        } finally {
          src.dispose();
        }
      });
      if ('error' in made) {
        ctx.dispose();
        runtime.dispose();
        return { error: this.explain(made.error, OPEN_TIME_MS) };
      }
      this.session = { module, runtime, ctx, runner: made.handle };
      return this.session;
    } catch (error) {
      this.engineFailed(error);
      return { error: `JavaScript engine error: ${String(error)}` };
    }
  }

  /** Evaluates `first`, passes its value to `next`, and keeps `next`'s value as a handle. */
  private settleHandle(
    ctx: QuickJSContext,
    first: ReturnType<QuickJSContext['evalCode']>,
    next: (value: QuickJSHandle) => ReturnType<QuickJSContext['evalCode']>,
  ): { handle: QuickJSHandle } | { error: string } {
    if (first.error) return { error: this.takeError(ctx, first.error) };
    try {
      const second = next(first.value);
      if (second.error) return { error: this.takeError(ctx, second.error) };
      return { handle: second.value };
    } finally {
      first.value.dispose();
    }
  }

  private settle(ctx: QuickJSContext, result: ReturnType<QuickJSContext['evalCode']>): JsOutcome {
    if (result.error) return { ok: false, error: this.takeError(ctx, result.error) };
    try {
      return { ok: true, value: ctx.dump(result.value) };
    } finally {
      result.value.dispose();
    }
  }

  private takeError(ctx: QuickJSContext, handle: QuickJSHandle): string {
    try {
      return errorText(ctx, handle);
    } finally {
      handle.dispose();
    }
  }

  private closeSession(): void {
    const session = this.session;
    this.session = undefined;
    if (session === undefined) return;
    try {
      session.runner.dispose();
      session.ctx.dispose();
      session.runtime.dispose();
    } catch (error) {
      this.engineFailed(error);
    }
  }

  /**
   * The engine itself failed (e.g. the host stack ran out inside wasm): its state is not to be
   * trusted, so the module is dropped with everything in it and a new one loaded.
   */
  private engineFailed(_error: unknown): void {
    this.session = undefined;
    this.module = undefined;
    void this.replace();
  }

  private explain(error: string, timeMs: number): string {
    if (this.budget.outOfMemory || /out of memory/i.test(error)) {
      return `memory limit exceeded: the function used more than ${this.limits.memoryBytes} bytes`;
    }
    if (this.budget.outOfTime) {
      return `time limit exceeded: the function ran longer than ${timeMs} ms`;
    }
    return error;
  }
}
