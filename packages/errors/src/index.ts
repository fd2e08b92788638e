export { AppError, ERROR_CODES, isAppError, toAppError } from './app-error.js';
export type { AppErrorOptions, ErrorCode } from './app-error.js';
export { GRPC_STATUS, HTTP_STATUS, errorCodeFromGrpcStatus } from './status-tables.js';
export { toHttpErrorResponse } from './http-body.js';
export type { HttpErrorBody, HttpErrorResponse } from './http-body.js';
export { SEARCH_ERROR, SearchErrorCause, searchError, searchErrorCode } from './search-error.js';
export type { SearchErrorCode } from './search-error.js';
