import type { FunctionTransType } from '@o2/domain';
import { AppError } from '@o2/errors';
import { compileVrl, fromJson, toJson } from '@o2/vrl';
import type { VrlFunction } from '@o2/vrl';
import { DEFAULT_JS_LIMITS, JsFunction } from './js-sandbox.js';
import type { JsLimits } from './js-sandbox.js';

/** A program that starts with this receives the whole result array as `.` (query functions). */
export const RESULT_ARRAY_MARKER = '#ResultArray#';
/** The array form that also skips the per-row pass. */
export const RESULT_ARRAY_SKIP_VRL_MARKER = '#ResultArray#SkipVRL#';

export interface FunctionSource {
  source: string;
  transType: FunctionTransType;
}

export interface CompileFunctionOptions {
  /** Limits of a JavaScript call (VRL programs cannot loop or allocate without bound). */
  jsLimits?: Partial<JsLimits>;
  /** VRL functions beyond the standard library (the org's enrichment-table lookups). */
  vrlFunctions?: readonly VrlFunction[];
}

/**
 * What one run gives: the function's result, or an error message. `aborted` is VRL's `abort`
 * (the caller drops the event); other errors leave the caller to keep the event as it was.
 */
export type FunctionOutcome =
  { ok: true; value: unknown } | { ok: false; aborted: boolean; error: string };

export interface CompiledFunction {
  readonly transType: FunctionTransType;
  /** The source starts with `#ResultArray#`: run it once on the array of all events. */
  readonly resultArray: boolean;
  /** The source starts with `#ResultArray#SkipVRL#`. */
  readonly skipVrl: boolean;
  /** Runs on a copy of `event`; the argument is never changed. */
  run(event: unknown): FunctionOutcome;
}

function markers(source: string): { resultArray: boolean; skipVrl: boolean } {
  const head = source.trimStart();
  return {
    resultArray: head.startsWith(RESULT_ARRAY_MARKER),
    skipVrl: head.startsWith(RESULT_ARRAY_SKIP_VRL_MARKER),
  };
}

/**
 * O2 runs a saved VRL function for the event it leaves behind: a program that does not end
 * with `.` gets one appended, so its value is the event (`.a = 1` gives the event, not 1).
 */
function withEventResult(source: string): string {
  return source.trimEnd().endsWith('.') ? source : `${source}\n.`;
}

function compileVrlFunction(
  source: string,
  functions: readonly VrlFunction[] = [],
): (event: unknown) => FunctionOutcome {
  const compiled = compileVrl(withEventResult(source), { functions });
  if (!compiled.ok) {
    throw AppError.invalidArgument(`vrl compile error: ${compiled.message}`);
  }
  const program = compiled.program;
  return (event) => {
    const copy = fromJson(event);
    const r = program.run(copy);
    if (r.ok) return { ok: true, value: toJson(r.value) };
    if (r.aborted) {
      return { ok: false, aborted: true, error: r.message === '' ? 'aborted' : r.message };
    }
    return { ok: false, aborted: false, error: `vrl runtime error: ${r.error}` };
  };
}

/**
 * Compiles a saved function's source once. INVALID_ARGUMENT (a 400 at the API) when it does not
 * compile; the returned function then runs any number of events.
 */
export async function compileFunction(
  fn: FunctionSource,
  options: CompileFunctionOptions = {},
): Promise<CompiledFunction> {
  const flags = markers(fn.source);
  if (fn.transType === 0) {
    const run = compileVrlFunction(fn.source, options.vrlFunctions);
    return { transType: 0, ...flags, run };
  }
  const js = await JsFunction.compile(fn.source, { ...DEFAULT_JS_LIMITS, ...options.jsLimits });
  return {
    transType: 1,
    ...flags,
    run(event) {
      const out = js.run(event);
      return out.ok ? out : { ok: false, aborted: false, error: out.error };
    },
  };
}
