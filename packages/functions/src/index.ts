// @o2/functions: O2's saved functions as runnable programs. `compileFunction` compiles a VRL
// (transType 0, via @o2/vrl) or JavaScript (transType 1, inside a QuickJS/wasm sandbox) source
// once; `applyQueryFunction` applies one to search hits (`query_fn`, `#ResultArray#`).
export { RESULT_ARRAY_MARKER, RESULT_ARRAY_SKIP_VRL_MARKER, compileFunction } from './compile.js';
export type {
  CompileFunctionOptions,
  CompiledFunction,
  FunctionOutcome,
  FunctionSource,
} from './compile.js';
export { DEFAULT_JS_LIMITS } from './js-sandbox.js';
export type { JsLimits } from './js-sandbox.js';
export { applyQueryFunction, decodeQueryFn } from './query-fn.js';
export type { QueryFunctionOptions, QueryFunctionResult } from './query-fn.js';
