import { Metadata, status as Status } from '@grpc/grpc-js';
import type { StatusObject } from '@grpc/grpc-js';
import {
  AppError,
  ERROR_CODES,
  GRPC_STATUS,
  SEARCH_ERROR,
  SearchErrorCause,
  errorCodeFromGrpcStatus,
  searchErrorCode,
  toAppError,
} from '@o2/errors';
import type { ErrorCode, SearchErrorCode } from '@o2/errors';

/**
 * Trailing metadata that carries what a gRPC status can't. The status number alone loses
 * information (CONFLICT and ABORTED, UNPROCESSABLE and INVALID_ARGUMENT share one), so the exact
 * AppError code travels too; `details` may hold any text, hence a binary (`-bin`) key.
 */
export const ERROR_CODE_KEY = 'o2-error-code';
export const ERROR_DETAILS_KEY = 'o2-error-details-bin';
export const RETRY_AFTER_KEY = 'retry-after';
/** O2's search code (20001 …), which the router answers with instead of the HTTP status. */
export const SEARCH_CODE_KEY = 'o2-search-code';

const KNOWN_CODES: ReadonlySet<string> = new Set(ERROR_CODES);
const SEARCH_CODES: ReadonlySet<number> = new Set(Object.values(SEARCH_ERROR));

/** The status a handler's failure is sent as; anything not an AppError becomes INTERNAL. */
export function toGrpcStatus(error: unknown): StatusObject {
  const appError = toAppError(error);
  const metadata = new Metadata();
  metadata.set(ERROR_CODE_KEY, appError.code);
  if (appError.details !== undefined)
    metadata.set(ERROR_DETAILS_KEY, Buffer.from(appError.details, 'utf8'));
  if (appError.retryAfterSeconds !== undefined)
    metadata.set(RETRY_AFTER_KEY, String(appError.retryAfterSeconds));
  const searchCode = searchErrorCode(appError);
  if (searchCode !== undefined) metadata.set(SEARCH_CODE_KEY, String(searchCode));
  return { code: GRPC_STATUS[appError.code], details: appError.message, metadata };
}

function firstString(metadata: Metadata | undefined, key: string): string | undefined {
  const value = metadata?.get(key)[0];
  if (value === undefined) return undefined;
  return typeof value === 'string' ? value : value.toString('utf8');
}

/**
 * The AppError a failed call surfaces as. A peer running O2TS names the exact code; any other
 * status (grpc-js' own UNAVAILABLE on a refused connection, DEADLINE_EXCEEDED, …) goes through
 * the status table, so the caller sees one error type whoever produced the failure.
 */
export function fromGrpcStatus(status: Partial<StatusObject>, cause?: unknown): AppError {
  const named = firstString(status.metadata, ERROR_CODE_KEY);
  const code: ErrorCode =
    named !== undefined && KNOWN_CODES.has(named)
      ? (named as ErrorCode)
      : errorCodeFromGrpcStatus(status.code ?? Status.UNKNOWN);
  const retryAfter = Number(firstString(status.metadata, RETRY_AFTER_KEY));
  const details = firstString(status.metadata, ERROR_DETAILS_KEY);
  const searchCode = Number(firstString(status.metadata, SEARCH_CODE_KEY));
  // A search error keeps its O2 code the way @o2/errors defines it (in `cause`), so the router
  // renders a remote search failure exactly like a local one.
  const reason = SEARCH_CODES.has(searchCode)
    ? new SearchErrorCause(searchCode as SearchErrorCode)
    : cause;
  return new AppError(code, status.details || `gRPC status ${status.code ?? Status.UNKNOWN}`, {
    ...(details !== undefined ? { details } : {}),
    ...(Number.isFinite(retryAfter) && retryAfter >= 0 ? { retryAfterSeconds: retryAfter } : {}),
    ...(reason !== undefined ? { cause: reason } : {}),
  });
}
