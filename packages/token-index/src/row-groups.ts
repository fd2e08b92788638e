import { AppError } from '@o2/errors';
import { tokenListOf } from './pieces.js';
import type { TokenList } from './pieces.js';
import { SYMBOLS } from './token-classes.js';

/**
 * The row-group part of a token index: appended after the file-level index (whose layout is
 * unchanged, so readers that stop there still work, and indexes without it still decode), it
 * says per Parquet row group which terms it may hold. A group keeps its sorted token list while
 * that fits the token-list limit, else its n-gram bitmap:
 *   "O2RG", u32 groups, then per group: u32 rows, u8 kind (1 tokens, 0 bitmap),
 *   kind 1: u32 length + the tokens joined by "\n"; kind 0: the bitmap.
 */
const MAGIC = [0x4f, 0x32, 0x52, 0x47]; // "O2RG"
const GRAM_BYTES = Math.ceil((SYMBOLS + SYMBOLS * SYMBOLS + SYMBOLS * SYMBOLS * SYMBOLS) / 8);

export interface RowGroupIndex {
  rows: number;
  /** Set when the group's token list was kept; otherwise `grams` holds. */
  tokens?: TokenList;
  grams?: Uint8Array;
}

export interface RowGroupSource {
  grams: Uint8Array;
  tokens: Set<string> | undefined;
  /** The tokens sorted, when the caller has them already. */
  sortedTokens?: () => string[] | undefined;
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
    const sorted =
      group.tokens === undefined ? undefined : (group.sortedTokens?.() ?? [...group.tokens].sort());
    const list = sorted === undefined ? undefined : encoder.encode(sorted.join('\n'));
    const meta = new Uint8Array(list === undefined ? 5 : 9);
    const view = new DataView(meta.buffer);
    view.setUint32(0, rows[i]!);
    meta[4] = list === undefined ? 0 : 1;
    if (list !== undefined) view.setUint32(5, list.length);
    parts.push(meta, list ?? group.grams);
  });
  return concat(parts);
}

/**
 * The row groups after the file-level index ending at `at` and where their part ends, or
 * undefined when there are none.
 */
export function decodeRowGroups(
  index: Uint8Array,
  at: number,
): { groups: RowGroupIndex[]; end: number } | undefined {
  if (at + 8 > index.length || MAGIC.some((b, i) => index[at + i] !== b)) return undefined;
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
      groups.push({ rows, tokens: tokenListOf(text) });
      at += 4 + len;
    } else {
      if (at + GRAM_BYTES > index.length) throw bad();
      groups.push({ rows, grams: index.subarray(at, at + GRAM_BYTES) });
      at += GRAM_BYTES;
    }
  }
  return { groups, end: at };
}
