// @o2/vrl: a compile-once Vector Remap Language engine. `compileVrl` parses and compiles a
// program to closures once; `program.run(event)` then transforms one event at a time.
import { Checker } from './checker.js';
import { Compiler, type Frame } from './compile.js';
import { AbortSignal, ReturnSignal } from './signals.js';
import {
  DiagnosticError,
  formatDiagnostic,
  VrlRuntimeError,
  type Diagnostic,
} from './diagnostic.js';
import type { VrlFunction } from './function.js';
import { parseProgram } from './parser.js';
import { unusedWarnings } from './unused.js';
import { stdlib } from './stdlib/index.js';
import type { Value, VObject } from './value.js';

export interface CompileOptions {
  /** Functions beyond the standard library (e.g. enrichment-table lookups); same name replaces. */
  functions?: readonly VrlFunction[];
  /** Paths the program may not assign (`.foo`, `%bar`): writing one is compile error E315. */
  readOnly?: readonly ReadOnlyPath[];
}

export interface ReadOnlyPath {
  path: string;
  /** Also every path below it. */
  recursive: boolean;
  /** A metadata path (`%…`) rather than an event path. */
  metadata: boolean;
}

export interface RunOptions {
  /** The event's secrets (`get_secret`), changed in place by `set_secret`/`remove_secret`. */
  secrets?: Record<string, string>;
}

export type RunResult =
  | { ok: true; value: Value; event: Value; meta: VObject }
  /** `abort` was called: the event as it was then, and the abort message if any. */
  | { ok: false; aborted: true; event: Value; meta: VObject; message: string }
  | { ok: false; aborted: false; error: string; event: Value; meta: VObject };

export interface Program {
  readonly source: string;
  readonly warnings: readonly Diagnostic[];
  /** Runs the program; `event` is modified in place (pass a copy to keep the original). */
  run(event: Value, meta?: VObject, options?: RunOptions): RunResult;
}

export type CompileResult =
  { ok: true; program: Program } | { ok: false; diagnostics: Diagnostic[]; message: string };

export function compileVrl(source: string, options: CompileOptions = {}): CompileResult {
  const functions = new Map<string, VrlFunction>(stdlib);
  for (const f of options.functions ?? []) functions.set(f.name, f);
  let node: (f: Frame) => Value;
  let compiler: Compiler;
  try {
    const ast = parseProgram(source);
    const checker = new Checker(functions, new Set((options.functions ?? []).map((f) => f.name)));
    const checked = checker.program(ast);
    compiler = new Compiler(
      functions,
      options.readOnly ?? [],
      checker.okDefaults,
      checker.typeDefs,
    );
    node = compiler.block(ast);
    const errors = checked.filter((d) => d.severity === 'error');
    if (errors.length > 0) throw new DiagnosticError(errors);
    compiler.warnings.push(
      ...checked.filter((d) => d.severity === 'warning'),
      ...unusedWarnings(ast),
    );
  } catch (err) {
    if (err instanceof DiagnosticError) {
      return {
        ok: false,
        diagnostics: err.diagnostics,
        message: err.diagnostics.map((d) => formatDiagnostic(source, d)).join('\n\n'),
      };
    }
    throw err;
  }
  const slotCount = compiler.slotCount;
  const program: Program = {
    source,
    warnings: compiler.warnings,
    run(event, meta = {}, runOptions = {}) {
      const frame: Frame = {
        event,
        meta,
        vars: slotCount === 0 ? [] : new Array<Value>(slotCount).fill(null),
        secrets: runOptions.secrets ?? {},
        env: { meta, secrets: runOptions.secrets ?? {} },
      };
      try {
        const value = node(frame);
        return { ok: true, value, event: frame.event, meta: frame.meta };
      } catch (err) {
        if (err instanceof ReturnSignal) {
          return { ok: true, value: err.value, event: frame.event, meta: frame.meta };
        }
        if (err instanceof AbortSignal) {
          const message = typeof err.message === 'string' ? err.message : 'aborted';
          return { ok: false, aborted: true, event: frame.event, meta: frame.meta, message };
        }
        if (err instanceof VrlRuntimeError) {
          return {
            ok: false,
            aborted: false,
            error: err.message,
            event: frame.event,
            meta: frame.meta,
          };
        }
        throw err;
      }
    },
  };
  return { ok: true, program };
}

export { formatDiagnostic, type Diagnostic } from './diagnostic.js';
export { parseEtldFunction } from './stdlib/etld.js';
export { protoFunctions } from './stdlib/proto.js';
export {
  envVarFunction,
  reverseDnsFunction,
  schemaDirLoader,
  validateJsonSchemaFunction,
} from './stdlib/host.js';
export { FunctionError, fn, type VrlFunction, type Param, type CallEnv } from './function.js';
export {
  fromJson,
  toJson,
  VFloat,
  VRegex,
  VTimestamp,
  kindOf,
  type Kind,
  type Value,
  type VObject,
} from './value.js';
