import { AppError } from '@o2/errors';
import { gramsAllow, newlinesOf, tokenListOf, tokensAllow, tokensMask } from './pieces.js';
import type { Piece, TokenList } from './pieces.js';
import { SYMBOLS } from './token-classes.js';

/**
 * The row-group part of a token index: appended after the file-level index (whose layout is
 * unchanged, so readers that stop there still work, and indexes without it still decode), it
 * says per Parquet row group which terms it may hold. A group keeps its sorted token list while
 * that fits the token-list limit, else its n-gram bitmap:
 *   "O2RB", u32 groups, then per group: u32 rows, u8 kind (1 tokens, 0 bitmap),
 *   kind 1: u32 length + the tokens joined by "\n", then per token (in list order) the blocks
 *   it occurs in: one byte b < 16 for block b alone, 16 for every block, else 17 and a u16
 *   mask; kind 0: the bitmap.
 * A group's rows are cut in {@link BLOCKS} blocks of `ceil(rows / BLOCKS)` rows; bit b of a
 * token's mask says block b holds it, so a rare term reads 1/16 of a group. Most tokens of a
 * group's list occur in one block (ids, hashes, numbers), so the masks cost ~1 byte per token
 * (1M k8s rows in 18 files: indexes 8.66 MB without masks, 11.18 MB with plain u16s, 10.31 MB so). "O2RG" is the earlier form without masks: still read
 * (whole groups); readers that know only "O2RG" see no groups in "O2RB" and read files whole.
 */
const MAGIC = [0x4f, 0x32, 0x52, 0x42]; // "O2RB"
const MAGIC_NO_MASKS = [0x4f, 0x32, 0x52, 0x47]; // "O2RG"
const GRAM_BYTES = Math.ceil((SYMBOLS + SYMBOLS * SYMBOLS + SYMBOLS * SYMBOLS * SYMBOLS) / 8);
export const BLOCKS = 16;
/** Bytes a group's token list is charged per token for its mask (its usual size). */
export const MASK_BYTES = 1;
const ALL_BLOCKS = (1 << BLOCKS) - 1;
const MULTI = BLOCKS + 1;

function encodeMasks(masks: readonly number[]): Uint8Array {
  const out = new Uint8Array(3 * masks.length);
  let at = 0;
  for (const mask of masks) {
    const single = (mask & (mask - 1)) === 0 ? 31 - Math.clz32(mask) : -1;
    if (single >= 0) out[at++] = single;
    else if (mask === ALL_BLOCKS) out[at++] = BLOCKS;
    else {
      out[at] = MULTI;
      out[at + 1] = mask >> 8;
      out[at + 2] = mask & 0xff;
      at += 3;
    }
  }
  return out.subarray(0, at);
}

export interface RowGroupIndex {
  rows: number;
  /** Set when the group's token list was kept; otherwise `grams` holds. */
  tokens?: TokenList;
  /** Per token of `tokens`, in order, its block mask (absent: every token in every block). */
  masks?: Uint16Array;
  /** With `masks`: where each "\n" of `tokens` is (token t lies between the t-th and next). */
  starts?: Int32Array;
  grams?: Uint8Array;
}

export interface RowGroupSource {
  grams: Uint8Array;
  /** Each token with its block mask. */
  tokens: Map<string, number> | undefined;
}

export function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

export function encodeRowGroups(
  rows: readonly number[],
  groups: readonly RowGroupSource[],
): Uint8Array {
  const encoder = new TextEncoder();
  const parts: Uint8Array[] = [];
  const head = new Uint8Array(8);
  head.set(MAGIC, 0);
  new DataView(head.buffer).setUint32(4, groups.length);
  parts.push(head);
  groups.forEach((group, i) => {
    const sorted = group.tokens === undefined ? undefined : [...group.tokens.keys()].sort();
    const list = sorted === undefined ? undefined : encoder.encode(sorted.join('\n'));
    const meta = new Uint8Array(list === undefined ? 5 : 9);
    const view = new DataView(meta.buffer);
    view.setUint32(0, rows[i]!);
    meta[4] = list === undefined ? 0 : 1;
    if (list !== undefined) view.setUint32(5, list.length);
    parts.push(meta, list ?? group.grams);
    if (sorted !== undefined) parts.push(encodeMasks(sorted.map((t) => group.tokens!.get(t)!)));
  });
  return concat(parts);
}

/** The row groups after the file-level index ending at `at`, or undefined when there are none. */
export function decodeRowGroups(index: Uint8Array, at: number): RowGroupIndex[] | undefined {
  const is = (magic: readonly number[]): boolean =>
    at + 8 <= index.length && magic.every((b, i) => index[at + i] === b);
  const masked = is(MAGIC);
  if (!masked && !is(MAGIC_NO_MASKS)) return undefined;
  const bad = (): AppError => AppError.invalidArgument('not a token index (row groups)');
  const view = new DataView(index.buffer, index.byteOffset, index.byteLength);
  const decoder = new TextDecoder();
  const count = view.getUint32(at + 4);
  at += 8;
  const groups: RowGroupIndex[] = [];
  for (let g = 0; g < count; g++) {
    if (at + 5 > index.length) throw bad();
    const rows = view.getUint32(at);
    const kind = index[at + 4];
    at += 5;
    if (kind === 1) {
      if (at + 4 > index.length) throw bad();
      const len = view.getUint32(at);
      if (at + 4 + len > index.length) throw bad();
      const text = decoder.decode(index.subarray(at + 4, at + 4 + len));
      at += 4 + len;
      const group: RowGroupIndex = { rows, tokens: tokenListOf(text) };
      if (masked) {
        const starts = newlinesOf(group.tokens!);
        const masks = new Uint16Array(starts.length - 1);
        for (let t = 0; t < masks.length; t++) {
          const b = index[at++];
          if (b === undefined || b > MULTI) throw bad();
          if (b < BLOCKS) masks[t] = 1 << b;
          else if (b === BLOCKS) masks[t] = ALL_BLOCKS;
          else {
            if (at + 2 > index.length) throw bad();
            masks[t] = view.getUint16(at);
            at += 2;
          }
        }
        group.masks = masks;
        group.starts = starts;
      }
      groups.push(group);
    } else {
      if (at + GRAM_BYTES > index.length) throw bad();
      groups.push({ rows, grams: index.subarray(at, at + GRAM_BYTES) });
      at += GRAM_BYTES;
    }
  }
  return groups;
}

/**
 * Block ranges past this many per file are read as whole groups instead: each range is one
 * scan branch of the query (a term in many blocks made hundreds of them, slower than reading
 * the groups whole).
 */
const MAX_BLOCK_RANGES = 16;

/** `tokenIndexRowRanges` over decoded groups: the blocks or groups that may hold every piece. */
export function rowRangesOf(
  groups: readonly RowGroupIndex[],
  pieces: readonly Piece[],
): Array<[number, number]> | undefined {
  const masks = groups.map((group) => groupMask(group, pieces));
  let ranges = rangesOf(groups, masks, true);
  if (ranges.length > MAX_BLOCK_RANGES) ranges = rangesOf(groups, masks, false);
  const rows = groups.reduce((n, g) => n + g.rows, 0);
  const whole = ranges.length === 1 && ranges[0]![0] === 0 && ranges[0]![1] === rows;
  return whole ? undefined : ranges;
}

function rangesOf(
  groups: readonly RowGroupIndex[],
  masks: readonly number[],
  blocks: boolean,
): Array<[number, number]> {
  const ranges: Array<[number, number]> = [];
  const add = (first: number, end: number): void => {
    const last = ranges[ranges.length - 1];
    if (last !== undefined && last[1] === first) last[1] = end;
    else ranges.push([first, end]);
  };
  let start = 0;
  groups.forEach((group, g) => {
    const end = start + group.rows;
    const mask = masks[g]!;
    const size = Math.ceil(group.rows / BLOCKS);
    if (mask === ALL_BLOCKS || (!blocks && mask !== 0)) add(start, end);
    else {
      for (let b = 0; b < BLOCKS && start + b * size < end; b++) {
        if ((mask & (1 << b)) !== 0) add(start + b * size, Math.min(end, start + (b + 1) * size));
      }
    }
    start = end;
  });
  return ranges;
}

/** The blocks of `group` that may hold every piece (all of them or none without masks). */
function groupMask(group: RowGroupIndex, pieces: readonly Piece[]): number {
  let mask = ALL_BLOCKS;
  for (const piece of pieces) {
    if (group.masks !== undefined) {
      mask &= tokensMask(group.tokens!, group.starts!, group.masks, piece, mask);
    } else if (
      group.tokens !== undefined
        ? !tokensAllow(group.tokens, piece)
        : !gramsAllow(group.grams!, piece)
    ) {
      mask = 0;
    }
    if (mask === 0) break;
  }
  return mask;
}
