import { flattenRecord } from '@o2/schema';
import type { CompiledFunction } from './compile.js';

export interface QueryFunctionResult {
  hits: Array<Record<string, unknown>>;
  /** O2's `function_error`: each distinct error message once, in order of first sight. */
  errors: string[];
}

export interface QueryFunctionOptions {
  /** Flatten depth of the results (O2 flattens what a query function returns). */
  flattenLevel?: number;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * Applies a query function (`query_fn`) to search hits after the SQL. A per-row function runs
 * on each hit: its object result replaces the hit (flattened), anything else (null, `abort`)
 * drops it, and an error keeps the hit as it was. A `#ResultArray#` function runs once with the
 * whole array as `.` and its array result replaces the hits; an error keeps them.
 */
export function applyQueryFunction(
  fn: CompiledFunction,
  hits: ReadonlyArray<Record<string, unknown>>,
  options: QueryFunctionOptions = {},
): QueryFunctionResult {
  const errors = new Set<string>();
  const flat = (value: Record<string, unknown>) =>
    flattenRecord(value, { maxLevel: options.flattenLevel }) as Record<string, unknown>;
  if (fn.resultArray) {
    const out = fn.run(hits);
    if (!out.ok) {
      if (out.aborted) return { hits: [], errors: [out.error] };
      return { hits: [...hits], errors: [out.error] };
    }
    if (!Array.isArray(out.value)) {
      return { hits: [...hits], errors: ['#ResultArray# function did not return an array'] };
    }
    return { hits: out.value.filter(isObject).map(flat), errors: [] };
  }
  const result: Array<Record<string, unknown>> = [];
  for (const hit of hits) {
    const out = fn.run(hit);
    if (out.ok) {
      if (isObject(out.value)) result.push(flat(out.value));
    } else if (!out.aborted) {
      errors.add(out.error);
      result.push(hit);
    }
  }
  return { hits: result, errors: [...errors] };
}

/**
 * Decodes O2's base64 `query_fn` (standard or URL-safe alphabet, padding optional); undefined
 * when it is not base64 or not UTF-8.
 */
export function decodeQueryFn(encoded: string): string | undefined {
  const text = encoded.trim();
  if (!/^[A-Za-z0-9+/_-]*={0,2}$/.test(text)) return undefined;
  const bytes = Buffer.from(text.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}
