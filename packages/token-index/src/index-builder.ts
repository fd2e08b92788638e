import { DataType } from 'apache-arrow';
import type { Data, Table, Vector } from 'apache-arrow';
import { blockWidth, MIXED } from './postings.js';
import type { GroupBlocks } from './postings.js';
import {
  asciiSymbol,
  BOUNDARY,
  forEachUtf8Symbol,
  nonAsciiSymbol,
  SEPARATOR,
  SYMBOLS,
  symbolChar,
  utf8Width,
} from './token-classes.js';
import { MIXED_TAG, TRIGRAMS, trigramBlocksOf } from './trigram-blocks.js';
import type { TrigramBlocks } from './trigram-blocks.js';

/**
 * Builds one unit's (a file's or a row group's) part of a token index from Arrow columns:
 * the n-gram bitmap, the token list while it fits, and, for row groups, each token's rows
 * (see token-index.ts and postings.ts for what they prove).
 */
const UNI = SYMBOLS;
const BI = SYMBOLS * SYMBOLS;
export const GRAM_BYTES = Math.ceil((UNI + BI + SYMBOLS * BI) / 8);

/** Stored-list characters of the symbols (see `symbolChar`). */
const SYMBOL_CODES = Uint8Array.from({ length: SYMBOLS }, (_, s) => symbolChar(s).charCodeAt(0));
const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** `asciiSymbol` of every byte below 0x80, looked up in the hot loop instead of branching. */
const ASCII_SYMBOLS = Int8Array.from({ length: 0x80 }, (_, b) => asciiSymbol(b));

/**
 * The unit's distinct tokens, found by the FNV-1a hash of their symbols in an open-addressing
 * table over typed arrays: a token met again (most are) costs a probe and a compare of its
 * symbols, no object and no string. Token `id` (in the order first met) has its symbols at
 * `starts[id]`… of `symbols`, and its block — all its rows' block, or MIXED — in `blocks[id]`.
 */
class SeenTokens {
  count = 0;
  private slots = new Int32Array(1024);
  private hashes = new Int32Array(256);
  private starts = new Int32Array(256);
  private lengths = new Int32Array(256);
  blocks = new Uint8Array(256);
  private symbols = new Uint8Array(4096);
  private used = 0;
  readonly strings: string[] = [];

  /** The id of the token of `current`'s first `length` symbols, or -1. */
  find(hash: number, current: Uint8Array, length: number): number {
    const mask = this.slots.length - 1;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const id = this.slots[slot]! - 1;
      if (id < 0) return -1;
      if (this.hashes[id] !== hash || this.lengths[id] !== length) continue;
      const start = this.starts[id]!;
      let i = 0;
      while (i < length && this.symbols[start + i] === current[i]) i++;
      if (i === length) return id;
    }
  }

  /** Adds the token (not yet known) and returns its id. */
  add(hash: number, current: Uint8Array, length: number, block: number, text: string): number {
    const id = this.count++;
    if (id === this.hashes.length) this.growTokens();
    if (this.used + length > this.symbols.length) {
      const grown = new Uint8Array(Math.max(this.symbols.length * 2, this.used + length));
      grown.set(this.symbols.subarray(0, this.used));
      this.symbols = grown;
    }
    this.symbols.set(current.subarray(0, length), this.used);
    this.hashes[id] = hash;
    this.starts[id] = this.used;
    this.lengths[id] = length;
    this.blocks[id] = block;
    this.strings.push(text);
    this.used += length;
    if (this.count * 2 > this.slots.length) this.rehash(this.slots.length * 2);
    else this.place(id);
    return id;
  }

  /** Forgets every token and lets go of their memory (the unit's list went over its limit). */
  clear(): void {
    this.count = 0;
    this.used = 0;
    this.slots = new Int32Array(16);
    this.hashes = new Int32Array(8);
    this.starts = new Int32Array(8);
    this.lengths = new Int32Array(8);
    this.blocks = new Uint8Array(8);
    this.symbols = new Uint8Array(64);
    this.strings.length = 0;
  }

  private place(id: number): void {
    const mask = this.slots.length - 1;
    let slot = this.hashes[id]! & mask;
    while (this.slots[slot] !== 0) slot = (slot + 1) & mask;
    this.slots[slot] = id + 1;
  }

  private rehash(size: number): void {
    this.slots = new Int32Array(size);
    for (let id = 0; id < this.count; id++) this.place(id);
  }

  private growTokens(): void {
    const size = this.hashes.length * 2;
    const grow = <T extends Int32Array | Uint8Array>(from: T, to: T): T => {
      to.set(from);
      return to;
    };
    this.hashes = grow(this.hashes, new Int32Array(size));
    this.starts = grow(this.starts, new Int32Array(size));
    this.lengths = grow(this.lengths, new Int32Array(size));
    this.blocks = grow(this.blocks, new Uint8Array(size));
  }
}

export class IndexBuilder {
  readonly grams = new Uint8Array(GRAM_BYTES);
  tokens: Set<string> | undefined = new Set();
  tokenBytes = 0;
  /** Whether tokens' blocks are kept (a row group's builder). */
  private readonly grouped: boolean;
  /** The unit's distinct tokens (while the token list is kept). */
  private readonly seen = new SeenTokens();
  /** The row of the value being added, for the tokens' blocks. */
  row = 0;
  private readonly width: number;
  /**
   * Per trigram, 0 or its blocks' tag (trigram-blocks.ts); kept past the token-list limit, as
   * it serves the groups that lose their list. A row group's builder only, until `seal`.
   */
  private trigramTags: Uint16Array | undefined;
  private trigramBlocks: Uint8Array | undefined;
  /** The block of the value being added, plus one. */
  private tag = 1;
  sorted: string[] | undefined;
  /** The symbols of the token in progress (while the token list is kept), and their hash. */
  private current = new Uint8Array(64);
  private length = 0;
  private hash = FNV_OFFSET;
  private p1 = BOUNDARY;
  private p2 = -1;

  constructor(
    private readonly maxTokenBytes: number,
    groupRows = 0,
  ) {
    this.width = blockWidth(groupRows);
    this.grouped = groupRows > 0;
    if (this.grouped) this.trigramTags = new Uint16Array(TRIGRAMS);
  }

  private set(bit: number): void {
    this.grams[bit >> 3]! |= 1 << (bit & 7);
  }

  private add(symbol: number): void {
    this.set(symbol);
    this.set(UNI + this.p1 * SYMBOLS + symbol);
    if (this.p2 >= 0) {
      const trigram = (this.p2 * SYMBOLS + this.p1) * SYMBOLS + symbol;
      this.set(UNI + BI + trigram);
      const tags = this.trigramTags;
      if (tags !== undefined) {
        const known = tags[trigram]!;
        if (known !== this.tag) tags[trigram] = known === 0 ? this.tag : MIXED_TAG;
      }
    }
    this.p2 = this.p1;
    this.p1 = symbol;
  }

  /**
   * Takes the next symbol of a value. While the token list is kept, a token's symbols are held
   * until it ends and its n-grams are added only when it is new to the unit or turns up in
   * another block: a token's n-grams depend on its symbols alone (it starts and ends at a
   * boundary), so a token met again in the same block would set the same bits and tags.
   */
  readonly push = (symbol: number): void => {
    if (symbol === SEPARATOR) {
      this.endToken();
      return;
    }
    if (this.tokens === undefined) {
      this.add(symbol);
      return;
    }
    if (this.length === this.current.length) this.grownCurrent();
    this.current[this.length++] = symbol;
    this.hash = Math.imul(this.hash ^ symbol, FNV_PRIME);
  };

  /** The held token's buffer, doubled (it is full). */
  private grownCurrent(): Uint8Array<ArrayBuffer> {
    const grown = new Uint8Array(this.current.length * 2);
    grown.set(this.current);
    this.current = grown;
    return grown;
  }

  /** Closes the token in progress (if any) with its boundary n-grams. */
  endToken(): void {
    if (this.tokens === undefined) {
      if (this.p1 === BOUNDARY) return;
      this.closeGrams();
      return;
    }
    const { length, hash } = this;
    if (length === 0) return;
    this.length = 0;
    this.hash = FNV_OFFSET;
    const block = Math.floor(this.row / this.width);
    const known = this.seen.find(hash, this.current, length);
    if (known >= 0) {
      const blocks = this.seen.blocks;
      if (!this.grouped || blocks[known] === block || blocks[known] === MIXED) return;
      blocks[known] = MIXED;
      this.addGrams(length); // its trigrams' blocks become mixed too
      return;
    }
    this.addGrams(length);
    const token = this.currentToken(length);
    this.seen.add(hash, this.current, length, block, token);
    this.tokens.add(token);
    this.tokenBytes += token.length + 1;
    if (this.tokenBytes > this.maxTokenBytes) {
      this.tokens = undefined;
      this.seen.clear();
    }
  }

  /** Adds the n-grams of the held token's first `length` symbols, boundary included. */
  private addGrams(length: number): void {
    const current = this.current;
    for (let i = 0; i < length; i++) this.add(current[i]!);
    this.closeGrams();
  }

  private closeGrams(): void {
    this.add(BOUNDARY);
    this.p1 = BOUNDARY;
    this.p2 = -1;
  }

  /** The held token as its stored-list string (one ASCII character per symbol). */
  private currentToken(length: number): string {
    const codes = new Uint8Array(length);
    for (let i = 0; i < length; i++) codes[i] = SYMBOL_CODES[this.current[i]!]!;
    return length <= 1024
      ? String.fromCharCode.apply(null, codes as unknown as number[])
      : Buffer.from(codes.buffer, 0, length).toString('latin1');
  }

  /** The token list in stored order (sorted once for the list and its postings). */
  sortedTokens(): string[] | undefined {
    if (this.tokens === undefined) return undefined;
    this.sorted ??= [...this.tokens].sort();
    return this.sorted;
  }

  /** The blocks of the sorted tokens, when this builder kept its tokens' blocks. */
  groupBlocks(): GroupBlocks | undefined {
    const sorted = this.sortedTokens();
    if (!this.grouped || sorted === undefined) return undefined;
    const blocks = new Map<string, number>();
    const { strings, blocks: tokenBlocks } = this.seen;
    strings.forEach((token, id) => blocks.set(token, tokenBlocks[id]!));
    return { width: this.width, blocks: Uint8Array.from(sorted, (t) => blocks.get(t)!) };
  }

  /** Ends the group's pass: its trigram tags become their stored form (55 K tags to ~5 K). */
  seal(): void {
    if (this.trigramTags !== undefined) this.trigramBlocks = trigramBlocksOf(this.trigramTags);
    this.trigramTags = undefined;
  }

  /** The sealed group's trigram blocks. */
  trigramBlocksOf(): TrigramBlocks | undefined {
    const blocks = this.trigramBlocks;
    return blocks === undefined ? undefined : { width: this.width, blocks };
  }

  /**
   * One field value: the start boundary is implicit in `p1`, the end one added here. While the
   * token list is kept this is `forEachUtf8Symbol` feeding `push`, inlined: one loop over the
   * bytes with the symbol and hash of the token in progress in locals.
   */
  utf8(bytes: Uint8Array, start: number, end: number): void {
    this.tag = Math.floor(this.row / this.width) + 1;
    let length = this.length;
    let hash = this.hash;
    let current = this.current;
    let i = start;
    while (i < end && this.tokens !== undefined) {
      const b = bytes[i]!;
      let symbol: number;
      if (b < 0x80) {
        symbol = ASCII_SYMBOLS[b]!;
        i++;
      } else {
        const width = utf8Width(b);
        symbol = nonAsciiSymbol(bytes, i, width);
        i += width;
      }
      if (symbol === SEPARATOR) {
        if (length === 0) continue;
        this.length = length;
        this.hash = hash;
        this.endToken();
        length = 0;
        hash = FNV_OFFSET;
        continue;
      }
      if (length === current.length) current = this.grownCurrent();
      current[length++] = symbol;
      hash = Math.imul(hash ^ symbol, FNV_PRIME);
    }
    this.length = length;
    this.hash = hash;
    // The list overflowed within this value: its other symbols go straight to the n-grams.
    if (i < end) forEachUtf8Symbol(bytes, i, end, this.push);
    this.endToken();
  }
}

function addUtf8Data(builder: IndexBuilder, data: Data, base: number): void {
  const offsets = data.valueOffsets as Int32Array;
  const bytes = data.values as Uint8Array;
  const bitmap = data.nullBitmap;
  for (let i = 0; i < data.length; i++) {
    const row = data.offset + i;
    if (data.nullCount > 0 && bitmap && ((bitmap[row >> 3]! >> (row & 7)) & 1) === 0) continue;
    builder.row = base + i;
    builder.utf8(bytes, offsets[i]!, offsets[i + 1]!);
  }
}

/** True when the column holds text the index can read exactly as DuckDB sees it. */
function addColumn(builder: IndexBuilder, column: Vector): boolean {
  const type = column.type as DataType;
  if (DataType.isUtf8(type)) {
    let base = 0;
    for (const data of column.data as Data[]) {
      addUtf8Data(builder, data, base);
      base += data.length;
    }
    return true;
  }
  if (
    DataType.isLargeUtf8(type) ||
    (DataType.isDictionary(type) && DataType.isUtf8(type.dictionary))
  ) {
    const encoder = new TextEncoder();
    let row = 0;
    for (const value of column) {
      builder.row = row++;
      if (typeof value !== 'string') continue;
      const bytes = encoder.encode(value);
      builder.utf8(bytes, 0, bytes.length);
    }
    return true;
  }
  // Numbers and booleans are searched as DuckDB's text form, which JS would not reproduce.
  return false;
}

export function indexFields(
  builder: IndexBuilder,
  table: Table,
  ftsFields: readonly string[],
): string[] {
  const covered: string[] = [];
  for (const field of new Set(ftsFields)) {
    const column = table.getChild(field);
    if (column === null || addColumn(builder, column)) covered.push(field);
  }
  return covered;
}
