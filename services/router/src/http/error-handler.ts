import type { ErrorRequestHandler, RequestHandler } from 'express';
import { AppError } from '@o2/errors';
import type { Logger } from '@o2/logger';
import { toO2ErrorResponse } from './search-error-response.js';

/** The shape body-parser gives its errors (`type` names the failure). */
interface BodyParserError {
  type: string;
  message: string;
  limit?: number;
}

function isBodyParserError(value: unknown): value is BodyParserError {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { type?: unknown }).type === 'string' &&
    typeof (value as { message?: unknown }).message === 'string'
  );
}

/** Body-parser failures are the caller's fault; everything else keeps its AppError code. */
function classify(error: unknown): unknown {
  if (error instanceof AppError || !isBodyParserError(error)) return error;
  switch (error.type) {
    case 'entity.too.large':
      return new AppError(
        'PAYLOAD_TOO_LARGE',
        `Request body is larger than the limit of ${error.limit ?? 'ZO_PAYLOAD_LIMIT'} bytes`,
      );
    case 'entity.parse.failed':
      return AppError.invalidArgument(`Invalid JSON body: ${error.message}`);
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new AppError('UNSUPPORTED_MEDIA_TYPE', error.message);
    case 'request.aborted':
    case 'request.size.invalid':
      return AppError.invalidArgument(error.message);
    default:
      return error;
  }
}

/**
 * The one place a thrown value becomes an HTTP answer: O2's `{"code","message"}` body (search
 * errors carry their search code), never a stack trace; 5xx details go to the log only.
 */
export function createErrorHandler(logger: Logger): ErrorRequestHandler {
  return (error: unknown, req, res, _next) => {
    const classified = classify(error);
    const response = toO2ErrorResponse(classified);
    if (response.status >= 500) {
      logger.error({ err: error, method: req.method, url: req.originalUrl }, 'request failed');
    } else {
      logger.debug({ status: response.status, message: response.body.message }, 'request refused');
    }
    if (res.headersSent) {
      // Half a response is already out; the only honest signal left is a broken connection.
      req.socket.destroy();
      return;
    }
    res.status(response.status).set(response.headers).json(response.body);
  };
}

/** The JSON 404 for any path no route claimed. */
export const notFound: RequestHandler = (_req, _res, next) => {
  next(AppError.notFound('Not Found'));
};
