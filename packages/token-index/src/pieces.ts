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

/**
 * A sorted token list as the index stores it, read as one string: the tokens joined by "\n"
 * with a "\n" before the first and after the last. Tokens never hold "\n", so a piece bounded
 * on a side is that side's "\n" plus its text, and one native `indexOf` over the whole list
 * answers every kind of piece: 1M k8s rows in 18 files (72 groups), `match_all('zqxrare42')`
 * checked against every group's list took ~50 ms as `tokens.some((t) => t.includes(..))` over
 * split arrays.
 */
export type TokenList = string;

export function tokenListOf(joined: string): TokenList {
  return `\n${joined}\n`;
}

/** How many tokens a list holds. */
export function tokenCount(list: TokenList): number {
  return list.length <= 2 ? 0 : newlinesOf(list).length - 1;
}

/** The positions of a list's "\n"s: token t lies between the t-th and the next. */
export function newlinesOf(list: TokenList): Int32Array {
  if (list.length <= 2) return Int32Array.of(0);
  let n = 0;
  for (let at = list.indexOf('\n'); at >= 0; at = list.indexOf('\n', at + 1)) n++;
  const out = new Int32Array(n);
  n = 0;
  for (let at = list.indexOf('\n'); at >= 0; at = list.indexOf('\n', at + 1)) out[n++] = at;
  return out;
}

function needleOf(piece: Piece): string {
  const text = piece.symbols.map(symbolChar).join('');
  return `${piece.left ? '\n' : ''}${text}${piece.right ? '\n' : ''}`;
}

export function tokensAllow(tokens: TokenList, piece: Piece): boolean {
  return tokens.includes(needleOf(piece));
}

/**
 * The union of the block masks of the tokens that satisfy `piece` (0: none does). Stops early
 * once it covers every block of `full` (the blocks still in question).
 */
export function tokensMask(
  tokens: TokenList,
  starts: Int32Array,
  masks: Uint16Array,
  piece: Piece,
  full: number,
): number {
  const needle = needleOf(piece);
  let mask = 0;
  let at = tokens.indexOf(needle);
  while (at >= 0 && (mask & full) !== full) {
    // The token holding the hit: the last "\n" at or before it opens it.
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= at) lo = mid;
      else hi = mid - 1;
    }
    mask |= masks[lo]!;
    at = tokens.indexOf(needle, starts[lo + 1]);
  }
  return mask;
}
