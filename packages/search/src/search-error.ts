import { isAppError } from '@o2/errors';
import { SEARCH_ERROR, searchError } from '@o2/errors';
import type { AppError } from '@o2/errors';

export { SEARCH_ERROR, SearchErrorCause, searchError, searchErrorCode } from '@o2/errors';
export type { SearchErrorCode } from '@o2/errors';

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
  // DataFusion's words for a function it does not have, with the name (O2 shows this).
  const unknown =
    /^Catalog Error: (?:Scalar |Aggregate |Table )?Function with name "?([^"\s!]+)"? does not exist/.exec(
      message,
    );
  if (unknown !== null) {
    return searchError(SEARCH_ERROR.invalidSql, `Invalid function '${unknown[1]}'`, {
      engineError: err,
    });
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
