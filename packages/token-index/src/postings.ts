import { decodeBlockPart, encodeBlockPart } from './block-part.js';
import type { GroupBlocks } from './block-part.js';
import { symbolChar } from './token-classes.js';
import type { Piece } from './pieces.js';

/**
 * Where in a row group each of its tokens occurs, appended after the row-group part (older
 * readers stop before it). A group of 16384 k8s rows holds ~14k unique tokens, ~80 % of them
 * in one row only; a rare term's group kept whole costs DuckDB the `lower()` and the
 * materialising of all its rows to find one. So a group is cut into at most 255 blocks of
 * `width` rows, and per token of its sorted list one byte names the block every row holding the
 * token lies in, or MIXED when they lie in more than one:
 *   "O2RP", u32 groups, then per group: u32 length (0: none) + u32 width + one byte per token.
 * One byte per token (+12 % on the k8s fixture's indexes) where exact row lists of tokens in up
 * to 4 rows cost +45 %, and the engine reads a block's 65 rows for about the cost of one row
 * (the group's pages are decompressed either way). Blocks only narrow: a row outside the blocks
 * of a piece's candidate tokens holds no token that could contain the piece.
 */
const MAGIC = [0x4f, 0x32, 0x52, 0x50]; // "O2RP"
export const MIXED = 255;
/** Past this many tokens holding a piece, the group is read whole (bounds the query's work). */
const MAX_CANDIDATES = 64;
/** One checkpoint per this many tokens maps a list position to its token's ordinal. */
const STRIDE = 64;

/** Rows per block for a group of `rows` rows: at most MIXED blocks. */
export function blockWidth(rows: number): number {
  return Math.max(1, Math.ceil(rows / MIXED));
}

/** A group's blocks: per token in list order, its block or MIXED. */
export type { GroupBlocks };

export function encodePostings(groups: ReadonlyArray<GroupBlocks | undefined>): Uint8Array {
  return encodeBlockPart(MAGIC, groups);
}

/**
 * Per group, its blocks (undefined: none) and where the part ends, or undefined when the index
 * has no postings.
 */
export function decodePostings(
  index: Uint8Array,
  at: number,
): { groups: Array<GroupBlocks | undefined>; end: number } | undefined {
  return decodeBlockPart(index, at, MAGIC, 'postings');
}

const checkpoints = new WeakMap<Uint8Array, Int32Array>();

/** Positions of every STRIDE-th "\n" of the list (made once per decoded group). */
function checkpointsOf(list: string, key: Uint8Array): Int32Array {
  const cached = checkpoints.get(key);
  if (cached !== undefined) return cached;
  const points: number[] = [];
  let n = 0;
  for (let at = list.indexOf('\n'); at >= 0; at = list.indexOf('\n', at + 1)) {
    if (n++ % STRIDE === 0) points.push(at);
  }
  const made = Int32Array.from(points);
  checkpoints.set(key, made);
  return made;
}

/** The ordinal of the token after the "\n" at `at`. */
function ordinalAt(list: string, points: Int32Array, at: number): number {
  let lo = 0;
  let hi = points.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (points[mid]! <= at) lo = mid;
    else hi = mid - 1;
  }
  let ordinal = lo * STRIDE;
  for (let nl = points[lo]!; nl < at; nl = list.indexOf('\n', nl + 1)) ordinal++;
  return ordinal;
}

/** Blocks of the tokens holding the piece as it must, or undefined past the limits. */
function pieceBlocks(list: string, group: GroupBlocks, piece: Piece): Set<number> | undefined {
  const text = `${piece.left ? '\n' : ''}${piece.symbols.map(symbolChar).join('')}${piece.right ? '\n' : ''}`;
  const points = checkpointsOf(list, group.blocks);
  const blocks = new Set<number>();
  let previous = -1;
  let tokens = 0;
  for (let at = list.indexOf(text); at >= 0; at = list.indexOf(text, at + 1)) {
    // The token holding the match starts after the last "\n" at or before `at`.
    const start = list.lastIndexOf('\n', at);
    if (start === previous) continue;
    previous = start;
    if (++tokens > MAX_CANDIDATES) return undefined;
    const block = group.blocks[ordinalAt(list, points, start)];
    if (block === undefined || block === MIXED) return undefined;
    blocks.add(block);
  }
  return blocks;
}

/**
 * The `[first, end)` group offsets of the only blocks that may hold every piece (ascending),
 * or undefined when the blocks cannot narrow the group.
 */
export function groupRanges(
  list: string,
  group: GroupBlocks | undefined,
  rows: number,
  pieces: readonly Piece[],
): Array<[number, number]> | undefined {
  if (group === undefined) return undefined;
  let kept: Set<number> | undefined;
  for (const piece of pieces) {
    const blocks = pieceBlocks(list, group, piece);
    if (blocks === undefined) continue;
    kept = kept === undefined ? blocks : new Set([...kept].filter((b) => blocks.has(b)));
  }
  if (kept === undefined) return undefined;
  return [...kept]
    .sort((a, b) => a - b)
    .map((b) => [b * group.width, Math.min(rows, (b + 1) * group.width)]);
}
