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
 * values cross the boundary as JSON text, never as host objects. Each call gets a fresh
 * context on a runtime with a memory cap, a stack cap and a deadline checked by the
 * interpreter's interrupt handler, so a loop or a huge allocation ends that call only.
 *
 * Memory: this QuickJS build cannot measure its blocks (no malloc_usable_size), so its own
 * limit only refuses a single allocation above the cap. The interrupt handler also watches the
 * module's WebAssembly memory: growth beyond the cap during a call ends it. Each compiled
 * function has a module of its own; one whose memory has grown past a few caps (or that failed
 * inside the engine) is replaced, so no function holds more than that for long.
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

// Runs inside the sandbox. The source reaches it as a string and becomes a function of `row`
// there; the event arrives as JSON text and leaves as JSON text.
const RUNNER = `(function (source, input) {
  const fn = new Function('row', source);
  const row = JSON.parse(input);
  const out = fn(row);
  const text = JSON.stringify(out === undefined ? row : out);
  return text === undefined ? 'null' : text;
})`;

const CHECKER = `(function (source) { new Function('row', source); return true; })`;

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

  private constructor(
    private readonly source: string,
    private readonly limits: JsLimits,
  ) {}

  /** INVALID_ARGUMENT when the source does not parse as a function body. */
  static async compile(source: string, limits: JsLimits = DEFAULT_JS_LIMITS): Promise<JsFunction> {
    const fn = new JsFunction(source, limits);
    await fn.replace();
    // Parsing gets a generous deadline: a loaded machine must not turn it into a 400.
    const checked = fn.call(CHECKER, [source], Math.max(limits.timeMs, 2000));
    if (!checked.ok) throw AppError.invalidArgument(`JavaScript compile error: ${checked.error}`);
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
    const out = this.call(RUNNER, [this.source, input]);
    if (!out.ok) return out;
    if (typeof out.value !== 'string') return { ok: false, error: 'function returned no JSON' };
    return { ok: true, value: JSON.parse(out.value) as unknown };
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

  private call(code: string, args: string[], timeMs = this.limits.timeMs): JsOutcome {
    const module = this.module;
    if (module === undefined) return { ok: false, error: 'JavaScript engine is restarting' };
    const startBytes = heapBytes(module);
    const deadline = Date.now() + timeMs;
    const state = { outOfTime: false, outOfMemory: false };
    let outcome: JsOutcome;
    try {
      const runtime: QuickJSRuntime = module.newRuntime();
      try {
        runtime.setMemoryLimit(this.limits.memoryBytes);
        runtime.setMaxStackSize(this.limits.stackBytes);
        runtime.setInterruptHandler(() => {
          state.outOfMemory = heapBytes(module) - startBytes > this.limits.memoryBytes;
          state.outOfTime = Date.now() >= deadline;
          return state.outOfMemory || state.outOfTime;
        });
        const ctx = runtime.newContext();
        try {
          outcome = this.invoke(ctx, code, args);
        } finally {
          ctx.dispose();
        }
      } finally {
        runtime.dispose();
      }
    } catch (error) {
      // The engine itself failed (e.g. the host stack ran out inside wasm): its state is not to
      // be trusted, so this module is dropped.
      this.module = undefined;
      void this.replace();
      return { ok: false, error: `JavaScript engine error: ${String(error)}` };
    }
    if (heapBytes(module) - this.baseBytes > MODULE_MEMORY_CAPS * this.limits.memoryBytes) {
      this.module = undefined;
      void this.replace();
    }
    if (outcome.ok) return outcome;
    if (state.outOfMemory || /out of memory/i.test(outcome.error)) {
      return {
        ok: false,
        error: `memory limit exceeded: the function used more than ${this.limits.memoryBytes} bytes`,
      };
    }
    if (state.outOfTime) {
      return { ok: false, error: `time limit exceeded: the function ran longer than ${timeMs} ms` };
    }
    return outcome;
  }

  private invoke(ctx: QuickJSContext, code: string, args: string[]): JsOutcome {
    const fnResult = ctx.evalCode(code);
    if (fnResult.error) {
      try {
        return { ok: false, error: errorText(ctx, fnResult.error) };
      } finally {
        fnResult.error.dispose();
      }
    }
    const handles = args.map((a) => ctx.newString(a));
    try {
      const result = ctx.callFunction(fnResult.value, ctx.undefined, ...handles);
      if (result.error) {
        try {
          return { ok: false, error: errorText(ctx, result.error) };
        } finally {
          result.error.dispose();
        }
      }
      try {
        return { ok: true, value: ctx.dump(result.value) };
      } finally {
        result.value.dispose();
      }
    } finally {
      for (const h of handles) h.dispose();
      fnResult.value.dispose();
    }
  }
}
