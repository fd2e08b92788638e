import { isAscii } from 'node:buffer';

/**
 * Request bodies cut into the pieces that are parsed on their own (NDJSON lines, the elements
 * of a JSON array), each decoded separately. Decoding piece by piece matters because a single
 * non-ASCII character makes a whole-body string two-byte: every key and value JSON.parse then
 * makes of it is slower to build, hash and encode again, and the UTF-8 decoder itself is
 * slower than latin1. Decoded per piece, the ASCII majority stays one-byte (k8s-shaped _bulk
 * bodies with ~14 % non-ASCII documents: decode + parse ~2× faster).
 */

const NEWLINE = 0x0a;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;

export function asBuffer(body: Uint8Array): Buffer {
  return Buffer.isBuffer(body) ? body : Buffer.from(body.buffer, body.byteOffset, body.byteLength);
}

/**
 * `buf[start, end)` as a string: latin1 when it is pure ASCII (the same string, several times
 * faster to make, and one-byte), UTF-8 otherwise. Splitting at ASCII bytes (newline, comma,
 * bracket) never cuts a UTF-8 sequence, so the pieces decode exactly as the whole body would.
 */
export function textOf(buf: Buffer, start: number, end: number): string {
  return isAscii(buf.subarray(start, end))
    ? buf.toString('latin1', start, end)
    : buf.toString('utf8', start, end);
}

/** NDJSON lines, trimmed, skipping blank ones (clients often end with a newline or send CRLF). */
export function* bodyLines(buf: Buffer): Generator<string> {
  let start = 0;
  const length = buf.length;
  while (start < length) {
    let end = buf.indexOf(NEWLINE, start);
    if (end < 0) end = length;
    if (end > start) {
      const line = textOf(buf, start, end).trim();
      if (line !== '') yield line;
    }
    start = end + 1;
  }
}

function isJsonSpace(c: number | undefined): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

function skipSpace(buf: Buffer, at: number): number {
  while (at < buf.length && isJsonSpace(buf[at])) at++;
  return at;
}

/** Index of the quote that closes the string whose opening quote is at `open`, or -1. */
function stringEnd(buf: Buffer, open: number): number {
  let at = open + 1;
  for (;;) {
    const quote = buf.indexOf(QUOTE, at);
    if (quote < 0) return -1;
    let slashes = 0;
    while (buf[quote - 1 - slashes] === BACKSLASH) slashes++;
    if (slashes % 2 === 0) return quote;
    at = quote + 1;
  }
}

/**
 * Byte ranges `[start0, end0, start1, end1, …]` of the elements of a top-level JSON array, or
 * undefined when the body is not one (an object, or anything malformed): the caller then
 * parses the whole text, which also words any error exactly as before. Only the structure
 * between elements is checked here; each element is validated by its own JSON.parse, so a
 * body whose every element parses and whose separators are right is the same array.
 */
export function arrayElementRanges(buf: Buffer): number[] | undefined {
  const length = buf.length;
  let at = skipSpace(buf, 0);
  if (buf[at] !== OPEN_BRACKET) return undefined;
  at = skipSpace(buf, at + 1);
  const ranges: number[] = [];
  if (buf[at] === CLOSE_BRACKET) return skipSpace(buf, at + 1) === length ? ranges : undefined;
  for (;;) {
    const start = at;
    let depth = 0;
    for (; at < length; at++) {
      const c = buf[at];
      if (c === QUOTE) {
        at = stringEnd(buf, at);
        if (at < 0) return undefined;
      } else if (c === OPEN_BRACE || c === OPEN_BRACKET) depth++;
      else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
        if (depth === 0) break;
        depth--;
      } else if (c === COMMA && depth === 0) break;
    }
    if (at >= length || at === start) return undefined;
    ranges.push(start, at);
    if (buf[at] === CLOSE_BRACKET) return skipSpace(buf, at + 1) === length ? ranges : undefined;
    if (buf[at] !== COMMA) return undefined;
    at = skipSpace(buf, at + 1);
  }
}
