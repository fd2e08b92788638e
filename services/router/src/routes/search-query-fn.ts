import type { SearchResponseBody } from '@o2/domain';
import { applyQueryFunction, compileFunction } from '@o2/functions';
import type { CompiledFunction } from '@o2/functions';

/** Compiles a decoded `query_fn` (VRL) before the search runs: a bad program is a 400. */
export async function compileQueryFn(source: string | undefined) {
  return source === undefined ? undefined : compileFunction({ source, transType: 0 });
}

const isHit = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

/**
 * The response with the query function applied to its hits (O2-CONTRACT §5): per row, or once
 * over the whole array for a `#ResultArray#` program. Errors join `function_error`.
 */
export function applyQueryFn(
  body: SearchResponseBody,
  fn: CompiledFunction | undefined,
  flattenLevel: number,
): SearchResponseBody {
  if (fn === undefined) return body;
  const hits = Array.isArray(body['hits']) ? (body['hits'] as unknown[]).filter(isHit) : [];
  const out = applyQueryFunction(fn, hits, { flattenLevel });
  const before = Array.isArray(body['function_error'])
    ? (body['function_error'] as unknown[]).map(String)
    : [];
  const result: SearchResponseBody = { ...body, hits: out.hits };
  if (before.length > 0 || out.errors.length > 0)
    result['function_error'] = [...before, ...out.errors];
  return result;
}
