import { DataType } from 'apache-arrow';
import type { Data, Table, Vector } from 'apache-arrow';
import { AppError } from '@o2/errors';
import { gramsAllow, piecesOf, tokenCount, tokenListOf, tokensAllow } from './pieces.js';
import type { TokenList } from './pieces.js';
import { concat, decodeRowGroups, encodeRowGroups } from './row-groups.js';
import type { RowGroupIndex } from './row-groups.js';
import { BOUNDARY, forEachUtf8Symbol, SEPARATOR, SYMBOLS, symbolChar } from './token-classes.js';

/**
 * Per-file full-text index for `match_all` pruning. `match_all` is a SUBSTRING test, so an index
 * of whole tokens alone cannot rule a file out: `match_all('rror')` matches "error". What it can
 * prove: split the term at its separators into pieces. A piece with a separator on both sides
 * in the term must be a whole token of the value; one with a separator only before it must be a
 * token prefix, only after it a token suffix, and a piece with none (a term without separators)
 * a substring of some token. The index holds
 *  - a bitmap of every 1-, 2- and 3-gram of every token padded with a boundary mark (7 KB,
 *    always present): a piece, padded where it is bounded, must have all its n-grams in it;
 *  - the sorted unique tokens themselves while they fit `maxTokenListBytes`, for the exact
 *    prefix/suffix/substring/whole-token checks.
 * Both are necessary conditions, so a file is skipped only when it cannot hold a match, and
 * answers are identical with or without the index. Tokens use the symbols of token-classes.ts.
 */
const MAGIC = [0x4f, 0x32, 0x54, 0x49]; // "O2TI"
const VERSION = 1;
const UNI = SYMBOLS;
const BI = SYMBOLS * SYMBOLS;
const TRI = SYMBOLS * SYMBOLS * SYMBOLS;
const GRAM_BITS = UNI + BI + TRI;
const GRAM_BYTES = Math.ceil(GRAM_BITS / 8);

export const DEFAULT_MAX_TOKEN_LIST_BYTES = 256 * 1024;
/** Files of more row groups are indexed as one unit (7 KB per group at worst otherwise). */
const MAX_ROW_GROUPS = 256;

export interface TokenIndexOptions {
  /** Above this many bytes of unique tokens only the n-gram bitmap is kept. */
  maxTokenListBytes?: number;
  /**
   * Rows per Parquet row group of the indexed file, in file order (summing to the table's
   * rows). With two or more groups the index also says which groups may hold a term
   * (`tokenIndexRowRanges`).
   */
  rowGroups?: readonly number[];
}

export interface TokenIndexInfo {
  /** Fields the index covers: a query over any other full-text field cannot be pruned. */
  fields: string[];
  /** Unique tokens kept, or undefined when the list was over its limit. */
  tokens: number | undefined;
  bytes: number;
  /** Row groups the index tells apart (absent: the file is one unit). */
  rowGroups?: number;
}

export class IndexBuilder {
  readonly grams = new Uint8Array(GRAM_BYTES);
  tokens: Set<string> | undefined = new Set();
  tokenBytes = 0;
  private current: number[] = [];
  private p1 = BOUNDARY;
  private p2 = -1;

  constructor(private readonly maxTokenBytes: number) {}

  private set(bit: number): void {
    this.grams[bit >> 3]! |= 1 << (bit & 7);
  }

  private add(symbol: number): void {
    this.set(symbol);
    this.set(UNI + this.p1 * SYMBOLS + symbol);
    if (this.p2 >= 0) this.set(UNI + BI + (this.p2 * SYMBOLS + this.p1) * SYMBOLS + symbol);
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
    if (this.tokens.has(token)) return;
    this.tokens.add(token);
    this.tokenBytes += token.length + 1;
    if (this.tokenBytes > this.maxTokenBytes) this.tokens = undefined;
  }

  /** One field value: the start boundary is implicit in `p1`, the end one added here. */
  utf8(bytes: Uint8Array, start: number, end: number): void {
    forEachUtf8Symbol(bytes, start, end, this.push);
    this.endToken();
  }
}

function addUtf8Data(builder: IndexBuilder, data: Data): void {
  const offsets = data.valueOffsets as Int32Array;
  const bytes = data.values as Uint8Array;
  const bitmap = data.nullBitmap;
  for (let i = 0; i < data.length; i++) {
    const row = data.offset + i;
    if (data.nullCount > 0 && bitmap && ((bitmap[row >> 3]! >> (row & 7)) & 1) === 0) continue;
    builder.utf8(bytes, offsets[i]!, offsets[i + 1]!);
  }
}

/** True when the column holds text the index can read exactly as DuckDB sees it. */
function addColumn(builder: IndexBuilder, column: Vector): boolean {
  const type = column.type as DataType;
  if (DataType.isUtf8(type)) {
    for (const data of column.data as Data[]) addUtf8Data(builder, data);
    return true;
  }
  if (
    DataType.isLargeUtf8(type) ||
    (DataType.isDictionary(type) && DataType.isUtf8(type.dictionary))
  ) {
    const encoder = new TextEncoder();
    for (const value of column) {
      if (typeof value !== 'string') continue;
      const bytes = encoder.encode(value);
      builder.utf8(bytes, 0, bytes.length);
    }
    return true;
  }
  // Numbers and booleans are searched as DuckDB's text form, which JS would not reproduce.
  return false;
}

/**
 * Builds the index of `table`'s full-text fields. Fields absent from the table are covered
 * (all NULL: nothing to match); fields that are not text are left uncovered.
 */
export function buildTokenIndex(
  table: Table,
  ftsFields: readonly string[],
  options: TokenIndexOptions = {},
): Uint8Array {
  const max = options.maxTokenListBytes ?? DEFAULT_MAX_TOKEN_LIST_BYTES;
  const groups = options.rowGroups ?? [];
  const grouped =
    groups.length > 1 &&
    groups.length <= MAX_ROW_GROUPS &&
    groups.reduce((a, b) => a + b, 0) === table.numRows;
  if (!grouped) {
    const builder = new IndexBuilder(max);
    const covered = indexFields(builder, table, ftsFields);
    return encodeIndex(covered, builder.grams, builder.tokens);
  }
  // One pass per row group; the file's bitmap and token list are their union, which is what a
  // single pass over the whole file would have built.
  const builders: IndexBuilder[] = [];
  let covered: string[] = [];
  let start = 0;
  for (const rows of groups) {
    const builder = new IndexBuilder(max);
    covered = indexFields(builder, table.slice(start, start + rows), ftsFields);
    builders.push(builder);
    start += rows;
  }
  const file = new IndexBuilder(max);
  for (const b of builders) {
    for (let i = 0; i < GRAM_BYTES; i++) file.grams[i]! |= b.grams[i]!;
    if (b.tokens === undefined) file.tokens = undefined;
    for (const token of file.tokens === undefined ? [] : b.tokens!) {
      if (file.tokens === undefined) break;
      if (file.tokens.has(token)) continue;
      file.tokens.add(token);
      file.tokenBytes += token.length + 1;
      if (file.tokenBytes > max) file.tokens = undefined;
    }
  }
  const head = encodeIndex(covered, file.grams, file.tokens);
  // The groups' token lists share one budget of 4 file-sized lists; past it a group keeps its
  // n-gram bitmap only, so an index stays small beside its file.
  let budget = 4 * max;
  for (const b of builders) {
    if (b.tokens !== undefined && b.tokenBytes > budget) b.tokens = undefined;
    if (b.tokens !== undefined) budget -= b.tokenBytes;
  }
  return concat([head, encodeRowGroups(groups, builders)]);
}

function indexFields(builder: IndexBuilder, table: Table, ftsFields: readonly string[]): string[] {
  const covered: string[] = [];
  for (const field of new Set(ftsFields)) {
    const column = table.getChild(field);
    if (column === null || addColumn(builder, column)) covered.push(field);
  }
  return covered;
}

function encodeIndex(
  fields: string[],
  grams: Uint8Array,
  tokens: Set<string> | undefined,
): Uint8Array {
  const encoder = new TextEncoder();
  const fieldBytes = fields.map((f) => encoder.encode(f));
  const list = tokens === undefined ? undefined : encoder.encode([...tokens].sort().join('\n'));
  const size =
    6 +
    2 +
    fieldBytes.reduce((n, f) => n + 2 + f.length, 0) +
    GRAM_BYTES +
    (list ? 4 + list.length : 0);
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  out.set(MAGIC, 0);
  out[4] = VERSION;
  out[5] = list === undefined ? 0 : 1;
  let at = 6;
  view.setUint16(at, fieldBytes.length);
  at += 2;
  for (const f of fieldBytes) {
    view.setUint16(at, f.length);
    out.set(f, at + 2);
    at += 2 + f.length;
  }
  out.set(grams, at);
  at += GRAM_BYTES;
  if (list !== undefined) {
    view.setUint32(at, list.length);
    out.set(list, at + 4);
  }
  return out;
}

interface DecodedIndex {
  fields: string[];
  grams: Uint8Array;
  tokens: TokenList | undefined;
  /** Per Parquet row group (absent in indexes of one group and in older indexes). */
  groups: RowGroupIndex[] | undefined;
}

const decoded = new WeakMap<Uint8Array, DecodedIndex>();

function decodeIndex(index: Uint8Array): DecodedIndex {
  const cached = decoded.get(index);
  if (cached !== undefined) return cached;
  const bad = (): AppError => AppError.invalidArgument('not a token index');
  if (index.length < 8 || MAGIC.some((b, i) => index[i] !== b) || index[4] !== VERSION) throw bad();
  const view = new DataView(index.buffer, index.byteOffset, index.byteLength);
  const decoder = new TextDecoder();
  let at = 6;
  const count = view.getUint16(at);
  at += 2;
  const fields: string[] = [];
  for (let i = 0; i < count; i++) {
    const len = view.getUint16(at);
    fields.push(decoder.decode(index.subarray(at + 2, at + 2 + len)));
    at += 2 + len;
  }
  if (at + GRAM_BYTES > index.length) throw bad();
  const grams = index.subarray(at, at + GRAM_BYTES);
  at += GRAM_BYTES;
  let tokens: TokenList | undefined;
  if (index[5] === 1) {
    const len = view.getUint32(at);
    tokens = tokenListOf(decoder.decode(index.subarray(at + 4, at + 4 + len)));
    at += 4 + len;
  }
  const result = { fields, grams, tokens, groups: decodeRowGroups(index, at) };
  decoded.set(index, result);
  return result;
}

export function tokenIndexInfo(index: Uint8Array): TokenIndexInfo {
  const { fields, tokens, groups } = decodeIndex(index);
  return {
    fields: [...fields],
    tokens: tokens === undefined ? undefined : tokenCount(tokens),
    bytes: index.length,
    ...(groups === undefined ? {} : { rowGroups: groups.length }),
  };
}

/**
 * False only when no row of the indexed file can satisfy `match_all(term)` (or the raw and
 * ignore-case variants): the term must already be normalised (`normalizeMatchAllTerm`, as
 * `SearchEngine.analyze` returns it). With `fields` — the stream's full-text fields at query
 * time — a field the index does not cover makes the answer true.
 */
export function tokenIndexMayMatch(
  index: Uint8Array,
  term: string,
  fields?: readonly string[],
): boolean {
  const { fields: covered, grams, tokens } = decodeIndex(index);
  if (fields !== undefined && fields.some((f) => !covered.includes(f))) return true;
  const pieces = piecesOf(term);
  if (pieces.length === 0) return true;
  for (const piece of pieces) {
    if (!gramsAllow(grams, piece)) return false;
    if (tokens !== undefined && !tokensAllow(tokens, piece)) return false;
  }
  return true;
}

/**
 * The row ranges (`[first, end)` row numbers of the Parquet file, merged where adjacent) of the
 * row groups that may hold a row matching every term; undefined when the index cannot tell
 * groups apart (one group, an index without groups, an uncovered field) or every group may
 * match. An empty array means no group can match.
 */
export function tokenIndexRowRanges(
  index: Uint8Array,
  terms: readonly string[],
  fields?: readonly string[],
): Array<[number, number]> | undefined {
  const { fields: covered, groups } = decodeIndex(index);
  if (groups === undefined || terms.length === 0) return undefined;
  if (fields !== undefined && fields.some((f) => !covered.includes(f))) return undefined;
  const pieces = terms.map(piecesOf);
  const ranges: Array<[number, number]> = [];
  let start = 0;
  let kept = 0;
  for (const group of groups) {
    const end = start + group.rows;
    const may = pieces.every((termPieces) =>
      termPieces.every((piece) =>
        group.tokens !== undefined
          ? tokensAllow(group.tokens, piece)
          : gramsAllow(group.grams!, piece),
      ),
    );
    if (may) {
      kept++;
      const last = ranges[ranges.length - 1];
      if (last !== undefined && last[1] === start) last[1] = end;
      else ranges.push([start, end]);
    }
    start = end;
  }
  return kept === groups.length ? undefined : ranges;
}
