import { AppError, isAppError } from '@o2/errors';
import type { ErrorCode } from '@o2/errors';

/** O2's search error codes (`ErrorCodes` in `src/config/src/meta/search.rs`). */
export const SEARCH_ERROR = {
  invalidSql: 20001,
  streamNotFound: 20002,
  fullTextFieldNotFound: 20003,
  fieldNotFound: 20004,
  executionError: 20008,
} as const;

export type SearchErrorCode = (typeof SEARCH_ERROR)[keyof typeof SEARCH_ERROR];

/** O2's fixed message per code; the specific reason travels in `details` (`error_detail`). */
const MESSAGES: Record<SearchErrorCode, string> = {
  20001: 'Search SQL not valid',
  20002: 'Search stream not found',
  20003: 'Full text search field not found',
  20004: 'Search field not found',
  20008: 'Search SQL execute error',
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

/**
 * Maps a DuckDB failure onto O2's codes by its error class. Binder errors about columns are the
 * caller's (20004); parse and catalog errors are bad SQL (20001); everything at run time is an
 * execution error (20008). IO and memory failures are ours, so they become INTERNAL.
 */
export function fromEngineError(err: unknown): AppError {
  if (isAppError(err)) return err;
  const message = err instanceof Error ? err.message : String(err);
  const detail = message.split('\n')[0] ?? message;
  if (
    /^Binder Error: (Referenced column|Values list|Table .* does not have a column)/.test(message)
  ) {
    return searchError(SEARCH_ERROR.fieldNotFound, detail, { engineError: err });
  }
  if (/^(Parser|Catalog|Binder|Syntax) Error/.test(message)) {
    return searchError(SEARCH_ERROR.invalidSql, detail, { engineError: err });
  }
  if (/^(IO|Out of Memory|Permission|FATAL|INTERNAL|INTERRUPT) Error/i.test(message)) {
    return searchError(SEARCH_ERROR.executionError, detail, {
      code: /^INTERRUPT/i.test(message) ? 'DEADLINE_EXCEEDED' : 'INTERNAL',
      engineError: err,
    });
  }
  return searchError(SEARCH_ERROR.executionError, detail, { engineError: err });
}
