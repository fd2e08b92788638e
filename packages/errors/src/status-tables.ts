import type { ErrorCode } from './app-error.js';

/** HTTP status for each code. Total: the compiler rejects a code without an entry. */
export const HTTP_STATUS: Readonly<Record<ErrorCode, number>> = {
  INVALID_ARGUMENT: 400,
  UNAUTHENTICATED: 401,
  PERMISSION_DENIED: 403,
  NOT_FOUND: 404,
  ALREADY_EXISTS: 409,
  CONFLICT: 409,
  UNPROCESSABLE: 422,
  UNSUPPORTED_MEDIA_TYPE: 415,
  PAYLOAD_TOO_LARGE: 413,
  RESOURCE_EXHAUSTED: 429,
  FAILED_PRECONDITION: 400,
  DEADLINE_EXCEEDED: 408,
  UNAVAILABLE: 503,
  INTERNAL: 500,
};

/**
 * gRPC status numbers (the wire values of google.rpc.Code) so this package needs no gRPC
 * dependency. Total, like the HTTP table.
 */
export const GRPC_STATUS: Readonly<Record<ErrorCode, number>> = {
  INVALID_ARGUMENT: 3,
  UNAUTHENTICATED: 16,
  PERMISSION_DENIED: 7,
  NOT_FOUND: 5,
  ALREADY_EXISTS: 6,
  CONFLICT: 10, // ABORTED
  UNPROCESSABLE: 3,
  UNSUPPORTED_MEDIA_TYPE: 3,
  PAYLOAD_TOO_LARGE: 8, // RESOURCE_EXHAUSTED
  RESOURCE_EXHAUSTED: 8,
  FAILED_PRECONDITION: 9,
  DEADLINE_EXCEEDED: 4,
  UNAVAILABLE: 14,
  INTERNAL: 13,
};

/** The reverse of GRPC_STATUS for the codes a peer may send us; unknown numbers are INTERNAL. */
const FROM_GRPC: ReadonlyMap<number, ErrorCode> = new Map<number, ErrorCode>([
  [3, 'INVALID_ARGUMENT'],
  [16, 'UNAUTHENTICATED'],
  [7, 'PERMISSION_DENIED'],
  [5, 'NOT_FOUND'],
  [6, 'ALREADY_EXISTS'],
  [10, 'CONFLICT'],
  [8, 'RESOURCE_EXHAUSTED'],
  [9, 'FAILED_PRECONDITION'],
  [4, 'DEADLINE_EXCEEDED'],
  [14, 'UNAVAILABLE'],
  [13, 'INTERNAL'],
]);

export function errorCodeFromGrpcStatus(status: number): ErrorCode {
  return FROM_GRPC.get(status) ?? 'INTERNAL';
}
