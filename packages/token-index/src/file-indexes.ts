import { DataType } from 'apache-arrow';
import type { Data, Utf8, Vector } from 'apache-arrow';
import { DEFAULT_FTS_FIELDS } from '@o2/domain';
import { readParquetMetadata, readParquetRowGroups } from '@o2/parquet';
import { buildTraceIdSet } from '@o2/traces';
import { packTokenIndex } from './packed-index.js';
import { TokenIndexBuilder } from './token-index.js';

const TRACE_ID = 'trace_id';

/** What to index in one data file. */
export interface FileIndexRequest {
  /** The stream type: traces files also get the trace-id set. */
  type: string;
  /** The stream's settings (`full_text_search_keys` adds full-text fields). */
  settings: Record<string, unknown>;
  /** ZO_ENABLE_INVERTED_INDEX: without it no token index is built. */
  invertedIndex: boolean;
}

/** The side indexes stored beside a data file before it is registered. */
export interface FileIndexes {
  /** `.tokens`: the token index over the file's full-text fields (packed), if it has any. */
  tokens?: Uint8Array;
  /** The trace-id set of a traces file with a `trace_id` column. */
  traceIds?: Uint8Array;
}

/**
 * Listed among a token index's covered fields when the index was built over every full-text
 * field asked for, absent columns included (covered: all NULL in this file). A reader may then
 * require such an index to cover the default fields too: one it lacks was not text when the
 * file was written (a number since widened to text), so its values were never tokenised.
 * Field names never hold NUL (ingest normalises names, the scan codec refuses it).
 */
export const EVERY_FIELD_LISTED = '\u0000every-field-listed';

/** A stream's full-text fields: O2's defaults plus its `settings.full_text_search_keys`. */
export function fullTextFields(settings: Record<string, unknown>): Set<string> {
  const extra = settings['full_text_search_keys'];
  return new Set([
    ...DEFAULT_FTS_FIELDS,
    ...(Array.isArray(extra) ? extra.filter((k): k is string => typeof k === 'string') : []),
  ]);
}

/**
 * Builds a data file's side indexes from its Parquet bytes on the calling thread (the worker of
 * `FileIndexPool` runs this): only the indexed columns are decoded, once for both indexes, and
 * the token index tells the file's row groups apart so a rare term reads only the groups that
 * may hold it. The ingester's upload and the compactor's merge both come here, so queriers
 * prune a merged file as they pruned its inputs.
 */
export async function buildFileIndexes(
  body: Uint8Array,
  request: FileIndexRequest,
): Promise<FileIndexes> {
  const metadata = await readParquetMetadata(body);
  const names = metadata.schema.fields.map((f) => f.name);
  const wanted = request.invertedIndex ? fullTextFields(request.settings) : new Set<string>();
  const fullText = names.filter((name) => wanted.has(name));
  const traces = request.type === 'traces' && names.includes(TRACE_ID);
  const columns = traces && !fullText.includes(TRACE_ID) ? [...fullText, TRACE_ID] : fullText;
  if (columns.length === 0) return {};
  // A row group at a time, each indexed as it is decoded: the decoder's wasm memory and this
  // thread hold one group's text, not the whole file's (a merged hour's `log` column is hundreds
  // of MB decoded; held whole, the compactor's index build of the bench's hour took ~225 MiB).
  const rowGroups = metadata.rowGroups.map((g) => g.numRows);
  // Every field asked for, not only the file's: absent ones are listed as covered.
  const tokens =
    fullText.length > 0
      ? new TokenIndexBuilder([...wanted, EVERY_FIELD_LISTED], { rowGroups })
      : undefined;
  const traceIds: Array<string | undefined> = [];
  for await (const group of readParquetRowGroups(body, { columns })) {
    tokens?.add(group);
    const traceIdColumn = traces ? group.getChild(TRACE_ID) : null;
    if (traceIdColumn !== null) for (const id of traceIdsOf(traceIdColumn)) traceIds.push(id);
  }
  const indexes: FileIndexes = {};
  if (tokens !== undefined) indexes.tokens = packTokenIndex(tokens.finish());
  if (traces && rowGroups.length > 0) indexes.traceIds = buildTraceIdSet(traceIds);
  return indexes;
}

/**
 * The column's values as strings. A Utf8 column (what the persister writes) is read from its
 * buffers: Arrow's per-value `get` decodes each one through a TextDecoder, which made the
 * index of a 50k-span file cost ~100 ms. A value with non-ASCII bytes is no trace id either
 * way (latin1 keeps it non-hex, so the set is marked incomplete).
 */
function traceIdsOf(column: Vector): Array<string | undefined> {
  const out: Array<string | undefined> = [];
  if (!DataType.isUtf8(column.type)) {
    for (const value of column) out.push(typeof value === 'string' ? value : undefined);
    return out;
  }
  for (const data of column.data as Data<Utf8>[]) {
    const { valueOffsets: offsets, values } = data;
    const text = Buffer.from(values.buffer, values.byteOffset, values.byteLength);
    const nullable = data.nullCount > 0;
    for (let i = 0; i < data.length; i++) {
      if (nullable && !data.getValid(i)) out.push(undefined);
      else out.push(text.toString('latin1', offsets[i], offsets[i + 1]));
    }
  }
  return out;
}
