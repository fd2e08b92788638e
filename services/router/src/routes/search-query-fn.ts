import type { SearchResponseBody } from '@o2/domain';
import type { Request } from 'express';
import { AppError } from '@o2/errors';
import { applyQueryFunction, compileFunction, decodeQueryFn } from '@o2/functions';
import { queryParam } from '../http/query-params.js';
import type { CompiledFunction } from '@o2/functions';
import type { VrlFunctions } from './org-vrl-functions.js';

/**
 * Compiles a decoded `query_fn` (VRL) before the search runs: a bad program is a 400. The org's
 * extra functions (enrichment-table lookups) are only fetched when there is a program.
 */
export async function compileQueryFn(
  source: string | undefined,
  vrlFunctions: () => Promise<VrlFunctions> = () => Promise.resolve([]),
) {
  if (source === undefined) return undefined;
  return compileFunction({ source, transType: 0 }, { vrlFunctions: await vrlFunctions() });
}

/**
 * `?query_fn=` (base64 VRL) of `GET|POST _around`, compiled; a `+` that the query string turned
 * into a space is read back as `+`.
 */
export async function queryFnParam(
  req: Request,
  vrlFunctions: () => Promise<VrlFunctions> = () => Promise.resolve([]),
) {
  const raw = queryParam(req, 'query_fn');
  if (raw === undefined || raw.trim() === '') return undefined;
  const source = decodeQueryFn(raw.replace(/ /g, '+'));
  if (source === undefined) throw AppError.invalidArgument('query_fn must be base64-encoded VRL');
  return compileQueryFn(source.trim() === '' ? undefined : source, vrlFunctions);
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
