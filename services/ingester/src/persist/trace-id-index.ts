import { storedFileKey, traceIdIndexKey } from '@o2/domain';
import type { FileEntry } from '@o2/metastore';
import { readParquet, readParquetMetadata } from '@o2/parquet';
import type { ObjectStore } from '@o2/storage';
import { buildTraceIdSet } from '@o2/traces';

const TRACE_ID = 'trace_id';

/**
 * The trace-id index of one traces data file (`@o2/traces` format), undefined for other stream
 * types or a file without a `trace_id` column. Only that column is decoded.
 */
export async function traceIdIndex(
  body: Uint8Array,
  entry: FileEntry,
): Promise<Uint8Array | undefined> {
  if (entry.type !== 'traces') return undefined;
  const metadata = await readParquetMetadata(body);
  if (!metadata.schema.fields.some((f) => f.name === TRACE_ID)) return undefined;
  const table = await readParquet(body, { columns: [TRACE_ID] });
  const column = table.getChild(TRACE_ID);
  if (column === null) return undefined;
  const values = function* () {
    for (const value of column) yield typeof value === 'string' ? value : undefined;
  };
  return buildTraceIdSet(values());
}

/**
 * Writes a traces file's trace-id index beside where the file will be stored. Called before the
 * data object is put and registered (like the token index), so every registered traces file
 * has its index; a retried upload rewrites the same bytes.
 */
export async function writeTraceIdIndex(
  objectStore: ObjectStore,
  body: Uint8Array,
  entry: FileEntry,
): Promise<void> {
  const index = await traceIdIndex(body, entry);
  if (index !== undefined) await objectStore.put(traceIdIndexKey(storedFileKey(entry)), index);
}
