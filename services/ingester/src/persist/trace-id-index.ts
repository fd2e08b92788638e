import type { Data, Utf8, Vector } from 'apache-arrow';
import { DataType } from 'apache-arrow';
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
  return buildTraceIdSet(traceIds(column));
}

/**
 * The column's values as strings. A Utf8 column (what the persister writes) is read from its
 * buffers: Arrow's per-value `get` decodes each one through a TextDecoder, which made the
 * index of a 50k-span file cost ~100 ms of the ingester's event loop. A value with non-ASCII
 * bytes is no trace id either way (latin1 keeps it non-hex, so the set is marked incomplete).
 */
function traceIds(column: Vector): Array<string | undefined> {
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
