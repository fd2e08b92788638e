import type { FileEntry, MetaStore } from '@o2/metastore';
import { readParquet, readParquetMetadata } from '@o2/parquet';
import { DEFAULT_FTS_FIELDS } from '@o2/domain';
import { buildTokenIndex } from '@o2/token-index';

/**
 * The token index of one data file over its stream's full-text fields (O2's defaults plus
 * `settings.full_text_search_keys`, those the file has). Undefined when it has none of them.
 * Only those columns are decoded. The index also tells the file's row groups apart.
 */
export async function fullTextIndex(
  metaStore: MetaStore,
  body: Uint8Array,
  entry: FileEntry,
): Promise<Uint8Array | undefined> {
  const stream = await metaStore.streams.get({
    org: entry.org,
    type: entry.type,
    name: entry.stream,
  });
  const extra = stream?.settings['full_text_search_keys'];
  const wanted = new Set([
    ...DEFAULT_FTS_FIELDS,
    ...(Array.isArray(extra) ? extra.filter((k): k is string => typeof k === 'string') : []),
  ]);
  const metadata = await readParquetMetadata(body);
  const present = metadata.schema.fields.map((f) => f.name).filter((name) => wanted.has(name));
  if (present.length === 0) return undefined;
  const table = await readParquet(body, { columns: present });
  // A macrotask turn between the two synchronous halves (decode, then tokenise), so requests
  // and query results are not held up behind both.
  await new Promise<void>((resolve) => setImmediate(resolve));
  // Per row group too, so a rare term reads only the groups that may hold it.
  return buildTokenIndex(table, present, { rowGroups: metadata.rowGroups.map((g) => g.numRows) });
}
