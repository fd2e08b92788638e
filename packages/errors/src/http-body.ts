import { toAppError } from './app-error.js';
import type { AppError } from './app-error.js';
import { HTTP_STATUS } from './status-tables.js';

/** O2's error envelope: `{"code": <http status>, "message": "..."}` (+ `error_detail`). */
export interface HttpErrorBody {
  code: number;
  message: string;
  error_detail?: string;
}

export interface HttpErrorResponse {
  status: number;
  body: HttpErrorBody;
  headers: Record<string, string>;
}

/**
 * Turns any thrown value into the HTTP answer. 5xx messages are generic on purpose: the detail
 * (which may name files, hosts or SQL) belongs in the log, not in the response.
 */
export function toHttpErrorResponse(value: unknown): HttpErrorResponse {
  const error: AppError = toAppError(value);
  const status = HTTP_STATUS[error.code];
  const headers: Record<string, string> = {};
  if (error.retryAfterSeconds !== undefined)
    headers['retry-after'] = String(error.retryAfterSeconds);
  if (status >= 500 && error.code !== 'UNAVAILABLE') {
    return { status, headers, body: { code: status, message: 'Internal Server Error' } };
  }
  const body: HttpErrorBody = { code: status, message: error.message };
  if (error.details !== undefined) body.error_detail = error.details;
  return { status, headers, body };
}
