import { AppError } from '@o2/errors';

/** S3's limit on a key's length; the local store keeps it too so both accept the same keys. */
const MAX_KEY_BYTES = 1024;

function describe(value: string): string {
  return JSON.stringify(value.length > 200 ? `${value.slice(0, 200)}…` : value);
}

function checkCharacters(value: string, what: string): void {
  if (value.includes('\0')) throw AppError.invalidArgument(`${what} contains a NUL byte`);
  if (value.includes('\\')) {
    throw AppError.invalidArgument(`${what} ${describe(value)} contains a backslash`);
  }
  if (value.startsWith('/')) {
    throw AppError.invalidArgument(`${what} ${describe(value)} must be relative (no leading /)`);
  }
  if (Buffer.byteLength(value) > MAX_KEY_BYTES) {
    throw AppError.invalidArgument(
      `${what} ${describe(value)} is longer than ${MAX_KEY_BYTES} bytes`,
    );
  }
}

function checkSegment(segment: string, value: string, what: string): void {
  if (segment === '' || segment === '.' || segment === '..') {
    throw AppError.invalidArgument(
      `${what} ${describe(value)} has an empty, "." or ".." path segment`,
    );
  }
}

/**
 * Rejects keys that could escape a local root or that S3 and a filesystem would store
 * differently: empty, absolute, NUL, backslash, empty / `.` / `..` segments, trailing `/`.
 */
export function checkObjectKey(key: string): void {
  if (key === '') throw AppError.invalidArgument('object key is empty');
  checkCharacters(key, 'object key');
  for (const segment of key.split('/')) checkSegment(segment, key, 'object key');
}

/**
 * A list prefix follows the key rules except that its last segment may be partial or empty
 * (`a/b/` or `a/b`); `''` lists everything.
 */
export function checkObjectPrefix(prefix: string): void {
  if (prefix === '') return;
  checkCharacters(prefix, 'list prefix');
  const segments = prefix.split('/');
  segments.pop();
  for (const segment of segments) checkSegment(segment, prefix, 'list prefix');
}

export function checkRange(offset: number, length: number): void {
  if (!Number.isSafeInteger(offset) || offset < 0) {
    throw AppError.invalidArgument(`range offset must be a non-negative integer (got ${offset})`);
  }
  if (!Number.isSafeInteger(length) || length < 0) {
    throw AppError.invalidArgument(`range length must be a non-negative integer (got ${length})`);
  }
}

/** Orders keys the way S3 lists them: by their UTF-8 bytes, not by UTF-16 code units. */
export function compareKeys(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}
