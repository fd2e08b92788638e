import type { FunctionRunner } from './execute.js';

/** What a compiled function gives for one record (`@o2/functions`' `FunctionOutcome`). */
export type CompiledOutcome =
  { ok: true; value: unknown } | { ok: false; aborted: boolean; error: string };

/** A compiled function as `@o2/functions` makes it (only what the runner calls). */
export interface CompiledRecordFunction {
  run(event: unknown): CompiledOutcome;
}

/**
 * The pipeline engine's runner over an org's compiled functions, by name: a function's array
 * result gives several records; VRL's abort drops the record; any other error keeps it as it
 * came in (O2).
 */
export function functionRunner(
  functions: ReadonlyMap<string, CompiledRecordFunction>,
): FunctionRunner {
  return {
    run(name, record) {
      const fn = functions.get(name);
      if (fn === undefined) return { ok: false, error: `function ${name} not found` };
      const out = fn.run(record);
      if (out.ok) return { ok: true, records: Array.isArray(out.value) ? out.value : [out.value] };
      return out.aborted ? { ok: true, records: [] } : { ok: false, error: out.error };
    },
  };
}
