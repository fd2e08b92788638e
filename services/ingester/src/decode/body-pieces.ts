/**
 * Request bodies cut into the pieces that are parsed on their own (NDJSON lines, the elements
 * of a JSON array), each decoded separately. Decoding piece by piece matters because a single
 * non-ASCII character makes a whole-body string two-byte: every key and value JSON.parse then
 * makes of it is slower to build, hash and encode again. Decoded per piece, the ASCII
 * majority stays one-byte (k8s-shaped _bulk bodies with ~14 % non-ASCII documents: decode +
 * parse ~2× faster).
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
 * `buf[start, end)` as a string. Node's UTF-8 decoder makes a one-byte string of ASCII (or
 * Latin-1) text by itself; checking `isAscii` first to use the latin1 decoder measured slower
 * on Node 20.19 (k8s `_bulk` lines: 1.2 vs 1.9 ms per 2000-document request, and JSON.parse of
 * the result no faster). Splitting at ASCII bytes (newline, comma, bracket) never cuts a UTF-8
 * sequence, so the pieces decode exactly as the whole body would.
 */
export function textOf(buf: Buffer, start: number, end: number): string {
  return buf.toString('utf8', start, end);
}

/** ASCII whitespace as `String.prototype.trim` sees it (a line holds no newline). */
function isAsciiSpace(c: number): boolean {
  return c === 0x20 || (c >= 0x09 && c <= 0x0d);
}

/**
 * NDJSON lines, trimmed, skipping blank ones (clients often end with a newline or send CRLF),
 * walked as byte ranges: a line becomes a string only when asked (`text`), so a `_bulk` action
 * line equal to the previous one (`sameAs`) is never decoded at all.
 */
export class BodyLines {
  /** The current line's trimmed byte range. */
  start = 0;
  end = 0;
  private at = 0;
  /** The current line's text when an edge needed Unicode trimming (a BOM, a no-break space). */
  private trimmed: string | undefined;

  constructor(private readonly buf: Buffer) {}

  /** Moves to the next non-blank line; false past the last. */
  next(): boolean {
    const buf = this.buf;
    const length = buf.length;
    while (this.at < length) {
      let start = this.at;
      let end = buf.indexOf(NEWLINE, start);
      if (end < 0) end = length;
      this.at = end + 1;
      while (start < end && isAsciiSpace(buf[start] as number)) start++;
      while (end > start && isAsciiSpace(buf[end - 1] as number)) end--;
      if (start === end) continue;
      this.trimmed = undefined;
      if ((buf[start] as number) >= 0x80 || (buf[end - 1] as number) >= 0x80) {
        // A non-ASCII edge may be whitespace `trim` removes: decide on the string, as before.
        const text = textOf(buf, start, end).trim();
        if (text === '') continue;
        this.trimmed = text;
      }
      this.start = start;
      this.end = end;
      return true;
    }
    return false;
  }

  /** The current line as `String.prototype.trim` would give it. */
  text(): string {
    return this.trimmed ?? textOf(this.buf, this.start, this.end);
  }

  /** Whether the current line has the same bytes as `buf[start, end)` (so the same text). */
  sameAs(start: number, end: number): boolean {
    const { buf } = this;
    return (
      end - start === this.end - this.start &&
      buf.compare(buf, start, end, this.start, this.end) === 0
    );
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
