import { DEFAULT_FTS_FIELDS } from '@o2/domain';
import type { FileEntry } from '@o2/metastore';
import { readParquet, readParquetMetadata } from '@o2/parquet';
import { buildTokenIndex } from '@o2/token-index';
import { buildTraceIdSet } from '@o2/traces';

const TRACE_ID = 'trace_id';

/**
 * The side indexes a merged file needs before it is registered: the full-text token index over
 * the stream's full-text fields (O2's defaults plus `full_text_search_keys`, those the file has)
 * and, for traces, the trace-id set. The same formats and field choice as the ingester's upload
 * (`@o2/token-index`, `@o2/traces`), so queriers prune a merged file as they pruned its inputs.
 * Only the indexed columns are decoded.
 */
export interface MergedIndexes {
  tokens?: Uint8Array;
  traceIds?: Uint8Array;
}

export async function buildMergedIndexes(
  body: Uint8Array,
  entry: FileEntry,
  settings: Record<string, unknown>,
  invertedIndex: boolean,
): Promise<MergedIndexes> {
  const metadata = await readParquetMetadata(body);
  const names = metadata.schema.fields.map((f) => f.name);
  const indexes: MergedIndexes = {};
  if (invertedIndex) {
    const extra = settings['full_text_search_keys'];
    const wanted = new Set([
      ...DEFAULT_FTS_FIELDS,
      ...(Array.isArray(extra) ? extra.filter((k): k is string => typeof k === 'string') : []),
    ]);
    const present = names.filter((name) => wanted.has(name));
    if (present.length > 0) {
      const table = await readParquet(body, { columns: present });
      // A macrotask turn between the two synchronous halves (decode, then tokenise).
      await new Promise<void>((resolve) => setImmediate(resolve));
      indexes.tokens = buildTokenIndex(table, present, {
        rowGroups: metadata.rowGroups.map((g) => g.numRows),
      });
    }
  }
  if (entry.type === 'traces' && names.includes(TRACE_ID)) {
    const column = (await readParquet(body, { columns: [TRACE_ID] })).getChild(TRACE_ID);
    if (column !== null) {
      const ids: Array<string | undefined> = [];
      for (const value of column) ids.push(typeof value === 'string' ? value : undefined);
      indexes.traceIds = buildTraceIdSet(ids);
    }
  }
  return indexes;
}
