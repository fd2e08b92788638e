/**
 * Go-style string literals as PromQL writes them. Escapes like `\xc5` produce raw bytes that may
 * not be valid UTF-8; those bytes are kept as U+DC80..U+DCFF ("surrogate escape") so validation
 * can reject them and error messages can print them back the way Prometheus does.
 */
export function unquoteString(raw: string): string {
  const quote = raw[0];
  if (quote === '`') return raw.slice(1, -1);
  const body = raw.slice(1, -1);
  const bytes: number[] = [];
  for (let i = 0; i < body.length; i++) {
    const ch = body[i]!;
    if (ch !== '\\') {
      const cp = body.codePointAt(i)!;
      if (cp > 0xffff) i++;
      pushUtf8(bytes, cp);
      continue;
    }
    const next = body[++i];
    switch (next) {
      case 'a':
        bytes.push(7);
        break;
      case 'b':
        bytes.push(8);
        break;
      case 'f':
        bytes.push(12);
        break;
      case 'n':
        bytes.push(10);
        break;
      case 'r':
        bytes.push(13);
        break;
      case 't':
        bytes.push(9);
        break;
      case 'v':
        bytes.push(11);
        break;
      case 'x':
        bytes.push(parseInt(body.slice(i + 1, i + 3), 16));
        i += 2;
        break;
      case 'u':
        pushUtf8(bytes, parseInt(body.slice(i + 1, i + 5), 16));
        i += 4;
        break;
      case 'U':
        pushUtf8(bytes, parseInt(body.slice(i + 1, i + 9), 16));
        i += 8;
        break;
      case '0':
      case '1':
      case '2':
      case '3':
      case '4':
      case '5':
      case '6':
      case '7':
        bytes.push(parseInt(body.slice(i, i + 3), 8) & 0xff);
        i += 2;
        break;
      case undefined:
        break;
      default:
        pushUtf8(bytes, next.codePointAt(0)!);
    }
  }
  return decodeUtf8Lossless(bytes);
}

/** Checks a string literal's escapes the way Go's lexer would; returns a message or undefined. */
export function checkStringEscapes(raw: string): string | undefined {
  const quote = raw[0];
  if (quote === '`')
    return raw.length >= 2 && raw.endsWith('`') ? undefined : 'unterminated raw string';
  if (raw.length < 2 || raw[raw.length - 1] !== quote) return 'unterminated quoted string';
  const body = raw.slice(1, -1);
  for (let i = 0; i < body.length; i++) {
    if (body[i] !== '\\') continue;
    const next = body[++i] ?? '';
    const hexLen = next === 'x' ? 2 : next === 'u' ? 4 : next === 'U' ? 8 : 0;
    if (hexLen > 0) {
      if (!new RegExp(`^[0-9a-fA-F]{${hexLen}}`).test(body.slice(i + 1))) {
        return 'illegal character in escape sequence';
      }
      i += hexLen;
    } else if (/[0-7]/.test(next)) {
      if (!/^[0-7]{3}/.test(body.slice(i))) return 'illegal character in escape sequence';
      i += 2;
    } else if (!'abfnrtv\\\'"'.includes(next)) {
      return 'unknown escape sequence';
    }
  }
  return undefined;
}

function pushUtf8(out: number[], cp: number): void {
  if (cp < 0x80) out.push(cp);
  else if (cp < 0x800) out.push(0xc0 | (cp >> 6), 0x80 | (cp & 63));
  else if (cp < 0x10000) out.push(0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 63), 0x80 | (cp & 63));
  else
    out.push(
      0xf0 | (cp >> 18),
      0x80 | ((cp >> 12) & 63),
      0x80 | ((cp >> 6) & 63),
      0x80 | (cp & 63),
    );
}

function decodeUtf8Lossless(bytes: number[]): string {
  let out = '';
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    const len = b < 0x80 ? 1 : b >= 0xf0 && b < 0xf8 ? 4 : b >= 0xe0 ? 3 : b >= 0xc2 ? 2 : 0;
    let ok = len > 0 && i + len <= bytes.length;
    for (let k = 1; ok && k < len; k++) ok = (bytes[i + k]! & 0xc0) === 0x80;
    if (!ok) {
      out += String.fromCharCode(0xdc00 + b);
      i++;
      continue;
    }
    let cp = len === 1 ? b : b & (0xff >> (len + 1));
    for (let k = 1; k < len; k++) cp = (cp << 6) | (bytes[i + k]! & 63);
    out += String.fromCodePoint(cp);
    i += len;
  }
  return out;
}

/** True when the text came from valid UTF-8 (no escaped raw bytes, no lone surrogates). */
export function isValidUtf8(s: string): boolean {
  return !/[\ud800-\udfff]/u.test(s);
}

/** Go's `%q`: double-quoted with Go escapes; raw bytes print as `\xNN`. */
export function goQuote(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xdc80 && c <= 0xdcff) out += '\\x' + (c - 0xdc00).toString(16).padStart(2, '0');
    else if (c === 0x22) out += '\\"';
    else if (c === 0x5c) out += '\\\\';
    else if (c === 10) out += '\\n';
    else if (c === 13) out += '\\r';
    else if (c === 9) out += '\\t';
    else if (c < 0x20 || c === 0x7f) out += '\\x' + c.toString(16).padStart(2, '0');
    else out += s[i];
  }
  return out + '"';
}
