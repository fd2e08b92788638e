import { DataType } from 'apache-arrow';
import type { Data, Table, Vector } from 'apache-arrow';
import { blockWidth, MIXED } from './postings.js';
import type { GroupBlocks } from './postings.js';
import { BOUNDARY, forEachUtf8Symbol, SEPARATOR, SYMBOLS, symbolChar } from './token-classes.js';
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

/**
 * A distinct token of the unit, found by the hash of its symbols (`next`: another token of the
 * same hash): a token met again costs a hash lookup and a compare, not a new string.
 */
interface SeenToken {
  token: string;
  /** The block of all its rows or MIXED (row groups' builders). */
  block: number;
  next: SeenToken | undefined;
}

export class IndexBuilder {
  readonly grams = new Uint8Array(GRAM_BYTES);
  tokens: Set<string> | undefined = new Set();
  tokenBytes = 0;
  /** Whether tokens' blocks are kept (a row group's builder). */
  private readonly grouped: boolean;
  /** The unit's distinct tokens by the FNV-1a hash of their characters. */
  private readonly seen = new Map<number, SeenToken>();
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
    if (this.length === this.current.length) {
      const grown = new Uint8Array(this.length * 2);
      grown.set(this.current);
      this.current = grown;
    }
    this.current[this.length++] = symbol;
    this.hash = Math.imul(this.hash ^ symbol, FNV_PRIME);
  };

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
    const first = this.seen.get(hash);
    for (let known = first; known !== undefined; known = known.next) {
      if (!this.isCurrent(known.token, length)) continue;
      if (!this.grouped || known.block === block || known.block === MIXED) return;
      known.block = MIXED;
      this.addGrams(length); // its trigrams' blocks become mixed too
      return;
    }
    this.addGrams(length);
    const token = this.currentToken(length);
    this.seen.set(hash, { token, block, next: first });
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

  /** Whether `token` is the held token (its first `length` symbols). */
  private isCurrent(token: string, length: number): boolean {
    if (token.length !== length) return false;
    const current = this.current;
    for (let i = 0; i < length; i++) {
      if (token.charCodeAt(i) !== SYMBOL_CODES[current[i]!]) return false;
    }
    return true;
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
    for (const first of this.seen.values()) {
      for (let known: SeenToken | undefined = first; known !== undefined; known = known.next) {
        blocks.set(known.token, known.block);
      }
    }
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

  /** One field value: the start boundary is implicit in `p1`, the end one added here. */
  utf8(bytes: Uint8Array, start: number, end: number): void {
    this.tag = Math.floor(this.row / this.width) + 1;
    forEachUtf8Symbol(bytes, start, end, this.push);
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
