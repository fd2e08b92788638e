import { AppError } from '@o2/errors';

/** §9.1: a trace id is 16 bytes as 32 lowercase hex characters; a span id 8 bytes, 16 hex. */
const TRACE_ID = /^[0-9a-f]{32}$/;

/**
 * A trace id from a path or query string, lower-cased; anything else is a 400 before any query
 * is built (the id then goes into SQL only as an escaped literal, but a malformed one can match
 * nothing and is the client's mistake).
 */
export function checkTraceId(value: string | undefined): string {
  const id = (value ?? '').trim().toLowerCase();
  if (id === '') throw AppError.invalidArgument('trace_id is empty');
  if (!TRACE_ID.test(id))
    throw AppError.invalidArgument(`Invalid trace_id: expected 32 hex characters (16 bytes)`);
  return id;
}
