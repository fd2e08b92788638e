import { BOUNDARY, SEPARATOR, SYMBOLS, symbolChar, symbolsOf } from './token-classes.js';

/**
 * A `match_all` term as the index checks it: its pieces between separators, each with whether
 * a separator bounds it on the left and right (see token-index.ts), and the two checks of a
 * piece against an n-gram bitmap and a sorted token list.
 */
const UNI = SYMBOLS;
const BI = SYMBOLS * SYMBOLS;

export interface Piece {
  symbols: number[];
  left: boolean;
  right: boolean;
}

export function piecesOf(term: string): Piece[] {
  const symbols = symbolsOf(term);
  const pieces: Piece[] = [];
  let current: number[] = [];
  let left = false;
  for (const s of symbols) {
    if (s === SEPARATOR) {
      if (current.length > 0) pieces.push({ symbols: current, left, right: true });
      current = [];
      left = true;
    } else current.push(s);
  }
  if (current.length > 0) pieces.push({ symbols: current, left, right: false });
  return pieces;
}

function hasBit(grams: Uint8Array, bit: number): boolean {
  return ((grams[bit >> 3]! >> (bit & 7)) & 1) === 1;
}

export function gramsAllow(grams: Uint8Array, piece: Piece): boolean {
  const s = [
    ...(piece.left ? [BOUNDARY] : []),
    ...piece.symbols,
    ...(piece.right ? [BOUNDARY] : []),
  ];
  if (s.length === 1) return hasBit(grams, s[0]!);
  if (s.length === 2) return hasBit(grams, UNI + s[0]! * SYMBOLS + s[1]!);
  for (let i = 0; i + 2 < s.length; i++) {
    if (!hasBit(grams, UNI + BI + (s[i]! * SYMBOLS + s[i + 1]!) * SYMBOLS + s[i + 2]!))
      return false;
  }
  return true;
}

function lowerBound(sorted: readonly string[], key: string): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export function tokensAllow(tokens: readonly string[], piece: Piece): boolean {
  const text = piece.symbols.map(symbolChar).join('');
  if (piece.left) {
    // Tokens starting with `text` are contiguous from its lower bound in sorted order.
    const hit = tokens[lowerBound(tokens, text)];
    return piece.right ? hit === text : hit !== undefined && hit.startsWith(text);
  }
  return piece.right ? tokens.some((t) => t.endsWith(text)) : tokens.some((t) => t.includes(text));
}
