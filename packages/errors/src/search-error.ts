import { AppError, isAppError } from './app-error.js';
import type { ErrorCode } from './app-error.js';

/** O2's search error codes (`ErrorCodes` in `src/config/src/meta/search.rs`). */
export const SEARCH_ERROR = {
  invalidSql: 20001,
  streamNotFound: 20002,
  fullTextFieldNotFound: 20003,
  fieldNotFound: 20004,
  functionNotDefined: 20005,
  executionError: 20008,
  cancelled: 20009,
  timeout: 20010,
  invalidParams: 20011,
  rateLimited: 20012,
} as const;

export type SearchErrorCode = (typeof SEARCH_ERROR)[keyof typeof SEARCH_ERROR];

/** O2's fixed message per code; the specific reason travels in `details` (`error_detail`). */
const MESSAGES: Record<SearchErrorCode, string> = {
  20001: 'Search SQL not valid',
  20002: 'Search stream not found',
  20003: 'Full text search field not found',
  20004: 'Search field not found',
  20005: 'Search function not defined',
  20008: 'Search SQL execute error',
  20009: 'Search cancelled',
  20010: 'Search timeout',
  20011: 'Invalid parameters',
  20012: 'Rate limit exceeded',
};

/**
 * The O2 code rides in `cause` so the error stays a plain `AppError` for every layer that does
 * not care, while the HTTP edge can still answer `{code: 20001, message, error_detail}`.
 */
export class SearchErrorCause {
  constructor(
    readonly searchCode: SearchErrorCode,
    readonly engineError?: unknown,
  ) {}
}

export function searchError(
  searchCode: SearchErrorCode,
  detail: string,
  options: { code?: ErrorCode; engineError?: unknown } = {},
): AppError {
  return new AppError(options.code ?? 'INVALID_ARGUMENT', `${MESSAGES[searchCode]}: ${detail}`, {
    details: detail,
    cause: new SearchErrorCause(searchCode, options.engineError),
  });
}

/** The O2 search code an error carries, or undefined for errors that are not search errors. */
export function searchErrorCode(err: unknown): SearchErrorCode | undefined {
  if (!isAppError(err)) return undefined;
  return err.cause instanceof SearchErrorCause ? err.cause.searchCode : undefined;
}
