import type { Response } from 'express';
import type { PromAnswer } from '@o2/domain';
import { toAppError } from '@o2/errors';
import type { ErrorCode } from '@o2/errors';
import type { Logger } from '@o2/logger';

/** Prometheus's `errorType` and HTTP status for each of our error codes (web/api/v1). */
const PROM_ERRORS: Readonly<Record<ErrorCode, readonly [string, number]>> = {
  INVALID_ARGUMENT: ['bad_data', 400],
  FAILED_PRECONDITION: ['bad_data', 400],
  UNSUPPORTED_MEDIA_TYPE: ['bad_data', 400],
  PAYLOAD_TOO_LARGE: ['bad_data', 400],
  CONFLICT: ['bad_data', 400],
  ALREADY_EXISTS: ['bad_data', 400],
  UNPROCESSABLE: ['execution', 422],
  RESOURCE_EXHAUSTED: ['execution', 422],
  DEADLINE_EXCEEDED: ['timeout', 503],
  UNAVAILABLE: ['unavailable', 503],
  NOT_FOUND: ['not_found', 404],
  UNAUTHENTICATED: ['bad_data', 401],
  PERMISSION_DENIED: ['bad_data', 403],
  INTERNAL: ['internal', 500],
};

/** `{"status":"success","data":…}` plus `warnings`/`infos` when there are any. */
export function sendSuccess(res: Response, answer: PromAnswer): void {
  res.json({
    status: 'success',
    data: answer.data,
    ...(answer.warnings !== undefined && answer.warnings.length > 0
      ? { warnings: answer.warnings }
      : {}),
    ...(answer.infos !== undefined && answer.infos.length > 0 ? { infos: answer.infos } : {}),
  });
}

/**
 * `{"status":"error","errorType":"bad_data","error":"…"}` with Prometheus's status code. An
 * internal failure is logged with its detail and answered with a generic message.
 */
export function sendError(res: Response, error: unknown, logger: Logger): void {
  const err = toAppError(error);
  const [errorType, status] = PROM_ERRORS[err.code];
  if (status >= 500 && err.code === 'INTERNAL') {
    logger.error({ err: error }, 'prometheus api request failed');
    res.status(status).json({ status: 'error', errorType, error: 'internal error' });
    return;
  }
  if (err.code === 'UNAVAILABLE' && err.retryAfterSeconds !== undefined)
    res.setHeader('Retry-After', String(err.retryAfterSeconds));
  res.status(status).json({ status: 'error', errorType, error: err.message });
}
