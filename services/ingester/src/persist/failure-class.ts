import { isAppError } from '@o2/errors';

/**
 * `transient`: the cause is outside the partition (a store or network that is down, a full
 * disk, a timeout) and goes away by itself — retried for ever, never quarantined.
 * `persistent`: something about this partition's data or path fails every time (a value the
 * encoder refuses, a key the store rejects) — retried a few times, then quarantined.
 */
export type FailureClass = 'transient' | 'persistent';

const TRANSIENT_CODES = new Set([
  // network
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'ESOCKETTIMEDOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
  'EHOSTUNREACH',
  'EHOSTDOWN',
  'ENETUNREACH',
  'ENETDOWN',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  // local resources that free up
  'ENOSPC',
  'EDQUOT',
  'EMFILE',
  'ENFILE',
  'ENOMEM',
  'EBUSY',
  'EAGAIN',
  // SQLite under contention or a full disk
  'SQLITE_BUSY',
  'SQLITE_LOCKED',
  'SQLITE_FULL',
  'SQLITE_IOERR',
  // S3 answers that mean "later"
  'SlowDown',
  'ServiceUnavailable',
  'InternalError',
  'RequestTimeout',
  'RequestTimeTooSkewed',
  'XMinioServerNotInitialized',
  // NATS
  'CONNECTION_CLOSED',
  'CONNECTION_REFUSED',
  'DISCONNECT',
  'TIMEOUT',
]);

/** AppError codes that say "the other side is not there right now". */
const TRANSIENT_APP_CODES = new Set(['UNAVAILABLE', 'DEADLINE_EXCEEDED', 'RESOURCE_EXHAUSTED']);

/** Postgres SQLSTATE classes: connection (08), resources (53), operator intervention (57). */
const TRANSIENT_SQLSTATE = /^(08|53|57)/;

const TRANSIENT_NAMES = new Set(['TimeoutError', 'AbortError', 'ConnectionError']);

function field(error: object, name: string): unknown {
  return (error as Record<string, unknown>)[name];
}

/** Classifies a failure by walking its cause chain (and an AggregateError's members). */
export function classifyFailure(error: unknown): FailureClass {
  const seen = new Set<unknown>();
  const queue: unknown[] = [error];
  while (queue.length > 0) {
    const current = queue.shift();
    if (typeof current !== 'object' || current === null || seen.has(current)) continue;
    seen.add(current);
    if (isAppError(current) && TRANSIENT_APP_CODES.has(current.code)) return 'transient';
    const code = field(current, 'code');
    if (typeof code === 'string') {
      if (TRANSIENT_CODES.has(code)) return 'transient';
      if (/^[0-9A-Z]{5}$/.test(code) && TRANSIENT_SQLSTATE.test(code)) return 'transient';
    }
    const status = field(current, 'statusCode') ?? field(current, 'status');
    if (typeof status === 'number' && (status >= 500 || status === 429 || status === 408))
      return 'transient';
    const name = field(current, 'name');
    if (typeof name === 'string' && TRANSIENT_NAMES.has(name)) return 'transient';
    queue.push(field(current, 'cause'));
    const errors = field(current, 'errors');
    if (Array.isArray(errors)) queue.push(...(errors as unknown[]));
  }
  return 'persistent';
}

const MAX_MESSAGE_CHARS = 300;

/**
 * A failure as one short line for logs, the quarantine sidecar and the admin API: credentials
 * in URLs, `key=value` secrets and long tokens are masked, stack traces never included.
 */
export function describeFailure(error: unknown): string {
  const code = typeof error === 'object' && error !== null ? field(error, 'code') : undefined;
  // Node reports some socket failures with an empty message and only a code.
  const raw =
    error instanceof Error
      ? error.message || (typeof code === 'string' ? code : error.name)
      : String(error);
  const text = raw
    .split('\n')[0]
    ?.replace(/\/\/[^/\s:@]+:[^/\s@]+@/g, '//***@')
    .replace(
      /\b(password|passwd|secret|token|key|access[_-]?key|secret[_-]?key|authorization)(["']?\s*[=:]\s*["']?)[^\s"',&]+/gi,
      '$1$2***',
    )
    .replace(/\b[A-Za-z0-9+_-]{40,}={0,2}/g, '***')
    .trim();
  const line = text === undefined || text === '' ? 'unknown error' : text;
  return line.length > MAX_MESSAGE_CHARS ? `${line.slice(0, MAX_MESSAGE_CHARS - 1)}…` : line;
}
