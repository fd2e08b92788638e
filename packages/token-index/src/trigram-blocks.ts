import { decodeBlockPart, encodeBlockPart } from './block-part.js';
import type { GroupBlocks } from './block-part.js';
import { BOUNDARY, SYMBOLS } from './token-classes.js';
import type { Piece } from './pieces.js';
import { MIXED } from './postings.js';

/**
 * Postings for the row groups past the token-list budget, which keep only their n-gram bitmap:
 * per trigram of the group (every set bit of the bitmap's 3-gram part, in bit order) one byte
 * naming the block (postings.ts) every row holding it lies in, or MIXED. A row holding a piece
 * holds each of its trigrams (padded with the boundary mark where the piece is bounded), so a
 * trigram of the piece found in one block only puts every match in that block, and two found in
 * different single blocks rule the group out. Without the token list a group of 16384 k8s rows
 * was read whole for a rare term (~5 ms CPU for a count, ~10 for rows, against ~1.7 and ~5 for
 * a block); its bitmap has ~5k trigrams, so this costs ~5 KB beside the ~145 KB list. Terms
 * made only of common trigrams (every one in many blocks) are not narrowed. Appended after the
 * postings part (older readers stop before it):
 *   "O2TB", u32 groups, then per group: u32 length (0: none) + u32 width + one byte per trigram.
 */
const MAGIC = [0x4f, 0x32, 0x54, 0x42]; // "O2TB"
const UNI = SYMBOLS;
const BI = SYMBOLS * SYMBOLS;
export const TRIGRAMS = SYMBOLS * BI;
/** A trigram's tag in the builder's table: 0 absent, block + 1, or this when in more blocks. */
export const MIXED_TAG = 0xffff;

/** A group's trigram blocks: per set trigram bit of its bitmap, in bit order, its block or MIXED. */
export type TrigramBlocks = GroupBlocks;

/** The stored bytes of a builder's trigram tags (see IndexBuilder). */
export function trigramBlocksOf(tags: Uint16Array): Uint8Array {
  let n = 0;
  for (let t = 0; t < TRIGRAMS; t++) if (tags[t] !== 0) n++;
  const out = new Uint8Array(n);
  let at = 0;
  for (let t = 0; t < TRIGRAMS; t++) {
    const tag = tags[t]!;
    if (tag !== 0) out[at++] = tag === MIXED_TAG ? MIXED : tag - 1;
  }
  return out;
}

export function encodeTrigramBlocks(groups: ReadonlyArray<TrigramBlocks | undefined>): Uint8Array {
  return encodeBlockPart(MAGIC, groups);
}

/** Per group, its trigram blocks (undefined: none), or undefined when the index has none. */
export function decodeTrigramBlocks(
  index: Uint8Array,
  at: number,
): Array<TrigramBlocks | undefined> | undefined {
  return decodeBlockPart(index, at, MAGIC, 'trigram blocks')?.groups;
}

const popcount8 = Uint8Array.from({ length: 256 }, (_, b) => {
  let n = 0;
  for (let v = b; v > 0; v >>= 1) n += v & 1;
  return n;
});

const ranks = new WeakMap<Uint8Array, Uint32Array>();

/** Set bits of `grams` before each byte (made once per decoded group). */
function byteRanks(grams: Uint8Array): Uint32Array {
  const cached = ranks.get(grams);
  if (cached !== undefined) return cached;
  const out = new Uint32Array(grams.length + 1);
  for (let i = 0; i < grams.length; i++) out[i + 1] = out[i]! + popcount8[grams[i]!]!;
  ranks.set(grams, out);
  return out;
}

function rankOf(grams: Uint8Array, bit: number): number {
  const before = byteRanks(grams)[bit >> 3]!;
  return before + popcount8[grams[bit >> 3]! & ((1 << (bit & 7)) - 1)]!;
}

/** How many trigrams the bitmap holds: the length its trigram blocks must have. */
export function trigramCount(grams: Uint8Array): number {
  return rankOf(grams, UNI + BI + TRIGRAMS) - rankOf(grams, UNI + BI);
}

/**
 * The `[first, end)` group offsets of the one block that may hold every piece (none when no
 * row can), or undefined when no trigram of the pieces lies in a single block.
 */
export function trigramRanges(
  grams: Uint8Array,
  group: TrigramBlocks | undefined,
  rows: number,
  pieces: readonly Piece[],
): Array<[number, number]> | undefined {
  if (group === undefined) return undefined;
  const first = rankOf(grams, UNI + BI);
  let kept: number | undefined;
  for (const piece of pieces) {
    const s = [
      ...(piece.left ? [BOUNDARY] : []),
      ...piece.symbols,
      ...(piece.right ? [BOUNDARY] : []),
    ];
    for (let i = 0; i + 2 < s.length; i++) {
      const bit = UNI + BI + (s[i]! * SYMBOLS + s[i + 1]!) * SYMBOLS + s[i + 2]!;
      // An absent trigram: the bitmap check has ruled the group out already.
      if (((grams[bit >> 3]! >> (bit & 7)) & 1) === 0) return [];
      const block = group.blocks[rankOf(grams, bit) - first];
      if (block === undefined || block === MIXED) continue;
      if (kept !== undefined && kept !== block) return [];
      kept = block;
    }
  }
  if (kept === undefined) return undefined;
  return [[kept * group.width, Math.min(rows, (kept + 1) * group.width)]];
}
