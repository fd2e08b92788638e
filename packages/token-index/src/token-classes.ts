/**
 * The alphabet of the full-text token index. Every code point maps to one symbol that depends
 * only on its lower-case form under DuckDB's `lower()` (simple, one-to-one case mapping):
 * `a`–`z` and `0`–`9` are themselves, any other ASCII character separates tokens, and every
 * non-ASCII code point is the single symbol OTHER — except the two whose lower case is ASCII
 * (U+0130 `İ` → `i`, U+212A Kelvin sign → `k`). So if `lower(value)` contains `lower(term)`,
 * the symbol string of `value` contains that of `term`: the test suite checks this mapping
 * against DuckDB's `lower()` for every code point.
 */
export const SYMBOLS = 38;
export const OTHER = 36;
export const BOUNDARY = 37;
export const SEPARATOR = -1;

/** Printable form of a symbol in the stored token list (`~` never occurs inside a token). */
export function symbolChar(symbol: number): string {
  if (symbol < 26) return String.fromCharCode(0x61 + symbol);
  if (symbol < 36) return String.fromCharCode(0x30 + symbol - 26);
  return '~';
}

export function asciiSymbol(byte: number): number {
  if (byte >= 0x61 && byte <= 0x7a) return byte - 0x61;
  if (byte >= 0x41 && byte <= 0x5a) return byte - 0x41;
  if (byte >= 0x30 && byte <= 0x39) return byte - 0x30 + 26;
  return SEPARATOR;
}

export function codePointSymbol(cp: number): number {
  if (cp < 0x80) return asciiSymbol(cp);
  if (cp === 0x130) return 8; // İ → i
  if (cp === 0x212a) return 10; // K (Kelvin) → k
  return OTHER;
}

/** Symbols of a JS string, code point by code point. */
export function symbolsOf(text: string): number[] {
  const out: number[] = [];
  for (const ch of text) out.push(codePointSymbol(ch.codePointAt(0)!));
  return out;
}

/** Bytes of the UTF-8 sequence a lead byte starts (1 for a stray continuation byte). */
export function utf8Width(lead: number): number {
  return lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1;
}

/**
 * The symbol of the non-ASCII sequence of `width` bytes at `bytes[at]`: İ and the Kelvin sign
 * (whose lower case is ASCII) as `i` and `k`, every other code point OTHER.
 */
export function nonAsciiSymbol(bytes: Uint8Array, at: number, width: number): number {
  const lead = bytes[at]!;
  if (width === 2 && lead === 0xc4 && bytes[at + 1] === 0xb0) return 8;
  if (width === 3 && lead === 0xe2 && bytes[at + 1] === 0x84 && bytes[at + 2] === 0xaa) return 10;
  return OTHER;
}

/**
 * Symbols of UTF-8 bytes, fed to `emit` one by one without decoding to JS strings (the index
 * builder's hot loop). Arrow Utf8 data is valid UTF-8; a stray byte would read as OTHER.
 */
export function forEachUtf8Symbol(
  bytes: Uint8Array,
  start: number,
  end: number,
  emit: (symbol: number) => void,
): void {
  let i = start;
  while (i < end) {
    const b = bytes[i]!;
    if (b < 0x80) {
      emit(asciiSymbol(b));
      i++;
      continue;
    }
    const width = utf8Width(b);
    emit(nonAsciiSymbol(bytes, i, width));
    i += width;
  }
}
