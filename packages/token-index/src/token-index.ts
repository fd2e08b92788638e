import type { Table } from 'apache-arrow';
import { AppError } from '@o2/errors';
import { gramsAllow, piecesOf, tokenCount, tokenListOf, tokensAllow } from './pieces.js';
import type { TokenList } from './pieces.js';
import { GRAM_BYTES, IndexBuilder, indexFields } from './index-builder.js';
import { unpackTokenIndexSync } from './packed-index.js';
import { decodePostings, encodePostings, groupRanges } from './postings.js';
import type { GroupBlocks } from './postings.js';
import { concat, decodeRowGroups, encodeRowGroups } from './row-groups.js';
import type { RowGroupIndex } from './row-groups.js';
import {
  decodeTrigramBlocks,
  encodeTrigramBlocks,
  trigramCount,
  trigramRanges,
} from './trigram-blocks.js';
import type { TrigramBlocks } from './trigram-blocks.js';

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
 *    prefix/suffix/substring/whole-token checks;
 *  - with row groups, per group its token list and each token's block of rows (postings.ts),
 *    or, past the token-list budget, its bitmap and each trigram's block (trigram-blocks.ts).
 * Both are necessary conditions, so a file is skipped only when it cannot hold a match, and
 * answers are identical with or without the index. Tokens use the symbols of token-classes.ts.
 */
const MAGIC = [0x4f, 0x32, 0x54, 0x49]; // "O2TI"
const VERSION = 1;

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

/**
 * Builds the index of `table`'s full-text fields. Fields absent from the table are covered
 * (all NULL: nothing to match); fields that are not text are left uncovered.
 */
export function buildTokenIndex(
  table: Table,
  ftsFields: readonly string[],
  options: TokenIndexOptions = {},
): Uint8Array {
  const groups = options.rowGroups ?? [];
  const whole = { ...options, rowGroups: [table.numRows] };
  if (groups.length === 0 || groups.reduce((a, b) => a + b, 0) !== table.numRows) {
    return new TokenIndexBuilder(ftsFields, whole).add(table).finish();
  }
  const builder = new TokenIndexBuilder(ftsFields, options);
  let start = 0;
  for (const rows of groups) {
    builder.add(table.slice(start, start + rows));
    start += rows;
  }
  return builder.finish();
}

/**
 * `buildTokenIndex` fed one row group at a time, in file order (`options.rowGroups` gives their
 * sizes): a file's index is built while it is decoded group by group, so only one group's text
 * is held — a merged hour's `log` column is hundreds of MB decoded.
 */
export class TokenIndexBuilder {
  private readonly max: number;
  private readonly groups: readonly number[];
  /** Per row group (two to MAX_ROW_GROUPS of them); otherwise the file is one unit. */
  private readonly grouped: boolean;
  private readonly builders: IndexBuilder[] = [];
  private readonly file: IndexBuilder;
  private covered: string[] = [];
  private added = 0;

  constructor(
    private readonly ftsFields: readonly string[],
    options: TokenIndexOptions = {},
  ) {
    this.max = options.maxTokenListBytes ?? DEFAULT_MAX_TOKEN_LIST_BYTES;
    this.groups = options.rowGroups ?? [];
    this.grouped = this.groups.length > 1 && this.groups.length <= MAX_ROW_GROUPS;
    this.file = new IndexBuilder(this.max);
  }

  /** The next row group's rows (with `rowGroups`, exactly that group's count). */
  add(group: Table): this {
    const index = this.builders.length;
    if (this.grouped && group.numRows !== this.groups[index]) {
      throw AppError.invalidArgument(
        `row group ${index} holds ${group.numRows} rows, the file says ${this.groups[index]}`,
      );
    }
    this.added += group.numRows;
    if (!this.grouped) {
      this.covered = indexFields(this.file, group, this.ftsFields);
      return this;
    }
    const builder = new IndexBuilder(this.max, group.numRows);
    this.covered = indexFields(builder, group, this.ftsFields);
    builder.seal();
    this.builders.push(builder);
    return this;
  }

  finish(): Uint8Array {
    const { file, builders, max } = this;
    if (!this.grouped) return encodeIndex(this.covered, file.grams, file.tokens);
    if (builders.length !== this.groups.length) {
      throw AppError.invalidArgument(
        `${builders.length} row groups indexed, the file has ${this.groups.length}`,
      );
    }
    // The file's bitmap and token list are the groups' union, which is what a single pass over
    // the whole file would have built.
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
    const head = encodeIndex(this.covered, file.grams, file.tokens);
    // The groups' token lists share one budget of 4 file-sized lists; past it a group keeps its
    // n-gram bitmap and its trigrams' blocks only, so an index stays small beside its file.
    let budget = 4 * max;
    for (const b of builders) {
      if (b.tokens !== undefined && b.tokenBytes > budget) b.tokens = undefined;
      if (b.tokens !== undefined) budget -= b.tokenBytes;
    }
    const postings = encodePostings(builders.map((b) => b.groupBlocks()));
    // Only the groups that lost their token list need their trigrams' blocks.
    const trigrams = encodeTrigramBlocks(
      builders.map((b) => (b.tokens === undefined ? b.trigramBlocksOf() : undefined)),
    );
    return concat([head, encodeRowGroups(this.groups, builders), postings, trigrams]);
  }
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
  groups:
    | Array<
        RowGroupIndex & { postings: GroupBlocks | undefined; trigrams: TrigramBlocks | undefined }
      >
    | undefined;
}

const decoded = new WeakMap<Uint8Array, DecodedIndex>();

/** Decodes an index as built or as stored (packed, `packTokenIndex`); once per array. */
function decodeIndex(stored: Uint8Array): DecodedIndex {
  const cached = decoded.get(stored);
  if (cached !== undefined) return cached;
  const index = unpackTokenIndexSync(stored);
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
  const rowGroups = decodeRowGroups(index, at);
  const postings = rowGroups && decodePostings(index, rowGroups.end);
  const trigrams = postings && decodeTrigramBlocks(index, postings.end);
  const groups = rowGroups?.groups.map((g, i) => {
    const own = g.grams === undefined ? undefined : trigrams?.[i];
    if (own !== undefined && own.blocks.length !== trigramCount(g.grams!)) throw bad();
    return { ...g, postings: postings?.groups[i], trigrams: own };
  });
  const result = { fields, grams, tokens, groups };
  decoded.set(stored, result);
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
  const add = (first: number, end: number): void => {
    const last = ranges[ranges.length - 1];
    if (last !== undefined && last[1] === first) last[1] = end;
    else ranges.push([first, end]);
  };
  let start = 0;
  let whole = 0;
  for (const group of groups) {
    const end = start + group.rows;
    const may = pieces.every((termPieces) =>
      termPieces.every((piece) =>
        group.tokens !== undefined
          ? tokensAllow(group.tokens, piece)
          : gramsAllow(group.grams!, piece),
      ),
    );
    // A group whose blocks name the only rows that may match is read at those rows.
    const inside = !may
      ? undefined
      : group.tokens !== undefined
        ? groupRanges(group.tokens, group.postings, group.rows, pieces.flat())
        : trigramRanges(group.grams!, group.trigrams, group.rows, pieces.flat());
    if (inside !== undefined) for (const [a, b] of inside) add(start + a, start + b);
    else if (may) {
      whole++;
      add(start, end);
    }
    start = end;
  }
  return whole === groups.length ? undefined : ranges;
}
