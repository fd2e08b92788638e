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

export class IndexBuilder {
  readonly grams = new Uint8Array(GRAM_BYTES);
  tokens: Set<string> | undefined = new Set();
  tokenBytes = 0;
  /** Per token, the block of all its rows or MIXED (a row group's builder only). */
  postings: Map<string, number> | undefined;
  /** The row of the value being added, for `postings`. */
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
  private current: number[] = [];
  private p1 = BOUNDARY;
  private p2 = -1;

  constructor(
    private readonly maxTokenBytes: number,
    groupRows = 0,
  ) {
    this.width = blockWidth(groupRows);
    if (groupRows > 0) {
      this.postings = new Map();
      this.trigramTags = new Uint16Array(TRIGRAMS);
    }
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

  readonly push = (symbol: number): void => {
    if (symbol === SEPARATOR) {
      this.endToken();
      return;
    }
    this.add(symbol);
    if (this.tokens !== undefined) this.current.push(symbol);
  };

  /** Closes the token in progress (if any) with its boundary n-grams. */
  endToken(): void {
    if (this.p1 === BOUNDARY) return;
    this.add(BOUNDARY);
    this.p1 = BOUNDARY;
    this.p2 = -1;
    const symbols = this.current;
    this.current = [];
    if (this.tokens === undefined) return;
    const token = symbols.map(symbolChar).join('');
    const postings = this.postings;
    if (postings !== undefined) {
      // The postings map doubles as the membership test, so a known token costs one lookup.
      const block = Math.floor(this.row / this.width);
      const known = postings.get(token);
      if (known !== undefined) {
        if (known !== block && known !== MIXED) postings.set(token, MIXED);
        return;
      }
      postings.set(token, block);
    } else if (this.tokens.has(token)) return;
    this.tokens.add(token);
    this.tokenBytes += token.length + 1;
    if (this.tokenBytes > this.maxTokenBytes) {
      this.tokens = undefined;
      this.postings = undefined;
    }
  }

  /** The token list in stored order (sorted once for the list and its postings). */
  sortedTokens(): string[] | undefined {
    if (this.tokens === undefined) return undefined;
    this.sorted ??= [...this.tokens].sort();
    return this.sorted;
  }

  /** The blocks of the sorted tokens, when this builder kept its tokens' blocks. */
  groupBlocks(): GroupBlocks | undefined {
    const postings = this.postings;
    const sorted = this.sortedTokens();
    if (postings === undefined || sorted === undefined) return undefined;
    return { width: this.width, blocks: Uint8Array.from(sorted, (t) => postings.get(t)!) };
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
