import { compileVrl, fromJson, toJson } from '@o2/vrl';
import type { Program } from '@o2/vrl';
import type { FunctionRunner } from '../execute.js';

/**
 * A FunctionRunner over real VRL programs, for tests: each run works on a copy (so a failed
 * run leaves the record as it came in), and `#ResultArray#` programs give one record per
 * element of the array they return.
 */
export function vrlRunner(sources: Record<string, string>): FunctionRunner & { calls: number } {
  const programs = new Map<string, { program: Program; array: boolean }>();
  for (const [name, source] of Object.entries(sources)) {
    const array = source.trimStart().startsWith('#ResultArray#');
    const compiled = compileVrl(array ? source.trimStart().slice('#ResultArray#'.length) : source);
    if (!compiled.ok) throw new Error(`${name}: ${compiled.message}`);
    programs.set(name, { program: compiled.program, array });
  }
  const runner = {
    calls: 0,
    run(name: string, record: Record<string, unknown>) {
      runner.calls++;
      const entry = programs.get(name);
      if (entry === undefined) return { ok: false as const, error: `function ${name} not found` };
      const result = entry.program.run(fromJson(record));
      if (!result.ok)
        return result.aborted
          ? { ok: true as const, records: [] }
          : { ok: false as const, error: result.error };
      // A #ResultArray# program's value is its records; any other gives its event (O2 ends it with `.`).
      const event = toJson(entry.array ? result.value : result.event);
      return { ok: true as const, records: entry.array && Array.isArray(event) ? event : [event] };
    },
  };
  return runner;
}
