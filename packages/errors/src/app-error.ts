/**
 * The one error type of O2TS. Every layer throws `AppError` with a code; the edges (HTTP, gRPC)
 * translate the code through the total tables in `status-tables.ts`, so a NOT_FOUND raised deep
 * in a querier reaches an HTTP client as 404 without anyone in between knowing about HTTP.
 */
export const ERROR_CODES = [
  'INVALID_ARGUMENT',
  'UNAUTHENTICATED',
  'PERMISSION_DENIED',
  'NOT_FOUND',
  'ALREADY_EXISTS',
  'CONFLICT',
  'UNPROCESSABLE',
  'UNSUPPORTED_MEDIA_TYPE',
  'PAYLOAD_TOO_LARGE',
  'RESOURCE_EXHAUSTED',
  'FAILED_PRECONDITION',
  'DEADLINE_EXCEEDED',
  'UNAVAILABLE',
  'INTERNAL',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export interface AppErrorOptions {
  /** Structured detail safe to show to the caller (O2's `error_detail`). */
  details?: string;
  /** Seconds the caller should wait before retrying (429/503 `Retry-After`). */
  retryAfterSeconds?: number;
  cause?: unknown;
}

export class AppError extends Error {
  override readonly name = 'AppError';
  readonly code: ErrorCode;
  readonly details: string | undefined;
  readonly retryAfterSeconds: number | undefined;

  constructor(code: ErrorCode, message: string, options: AppErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.details = options.details;
    this.retryAfterSeconds = options.retryAfterSeconds;
  }

  static invalidArgument(message: string, options?: AppErrorOptions): AppError {
    return new AppError('INVALID_ARGUMENT', message, options);
  }
  static unauthenticated(message = 'Unauthorized Access'): AppError {
    return new AppError('UNAUTHENTICATED', message);
  }
  static permissionDenied(message = 'Unauthorized Access'): AppError {
    return new AppError('PERMISSION_DENIED', message);
  }
  static notFound(message: string): AppError {
    return new AppError('NOT_FOUND', message);
  }
  static alreadyExists(message: string): AppError {
    return new AppError('ALREADY_EXISTS', message);
  }
  static internal(message: string, cause?: unknown): AppError {
    return new AppError('INTERNAL', message, { cause });
  }
}

export function isAppError(value: unknown): value is AppError {
  return value instanceof AppError;
}

/**
 * Anything that is not already an `AppError` becomes INTERNAL: an unexpected failure is our
 * fault, never the caller's, so it must not turn into a 400.
 */
export function toAppError(value: unknown): AppError {
  if (isAppError(value)) return value;
  const message = value instanceof Error ? value.message : String(value);
  return new AppError('INTERNAL', message, { cause: value });
}
