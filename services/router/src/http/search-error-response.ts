import { HTTP_STATUS, searchErrorCode, toHttpErrorResponse } from '@o2/errors';
import type { AppError, HttpErrorResponse } from '@o2/errors';

/** Search codes O2 sends with a status other than 400 (`ErrorCodes::get_code`). */
const SEARCH_CODE_STATUS: ReadonlyMap<number, number> = new Map([
  [20009, 429], // SearchCancelQuery
  [20010, 408], // SearchTimeout
  [20012, 429], // RatelimitExceeded
]);

/** The O2 search code (20001 …) an error carries, or undefined. */
export function searchCodeOf(error: unknown): number | undefined {
  return searchErrorCode(error);
}

/**
 * O2's answer for a failed search: `{"code":<search code>,"message","error_detail"}` with HTTP
 * 400 (429/408 for the codes above). A search error that is ours (the querier raised it as
 * INTERNAL, e.g. an IO failure) keeps its 5xx and a generic message, like every 5xx: the detail
 * may name files. Undefined for errors without a search code.
 */
export function toSearchErrorResponse(error: unknown): HttpErrorResponse | undefined {
  const searchCode = searchCodeOf(error);
  if (searchCode === undefined) return undefined;
  const appError = error as AppError;
  const generic = toHttpErrorResponse(appError);
  const codeStatus = HTTP_STATUS[appError.code];
  const status =
    SEARCH_CODE_STATUS.get(searchCode) ??
    (codeStatus >= 500 || codeStatus === 408 || codeStatus === 429 ? codeStatus : 400);
  return { status, headers: generic.headers, body: { ...generic.body, code: searchCode } };
}

/**
 * Any thrown value as O2 answers it: search errors as above, everything else as
 * `{"code":<status>,"message"}`. Also the body of a stream's `event: error` frame.
 */
export function toO2ErrorResponse(error: unknown): HttpErrorResponse {
  return toSearchErrorResponse(error) ?? toHttpErrorResponse(error);
}
