import { storedFileKey, tokenIndexKey } from '@o2/domain';
import type { FileEntry, MetaStore, StreamRef } from '@o2/metastore';
import { ColumnarBatchBuilder, encodeParquet, generateFileId, readParquet } from '@o2/parquet';
import type { ColumnSpec, FlatRecord } from '@o2/parquet';
import type { ObjectStore } from '@o2/storage';
import { buildTokenIndex } from '@o2/token-index';

/** `YYYY/MM/DD/HH` of a µs timestamp (UTC). */
export function dateOf(us: number): string {
  const iso = new Date(us / 1000).toISOString();
  return `${iso.slice(0, 4)}/${iso.slice(5, 7)}/${iso.slice(8, 10)}/${iso.slice(11, 13)}`;
}

/**
 * Writes one real data file of `rows` (all in one hour) with its token index, as the ingester's
 * upload leaves it, and registers it. Returns its file_list entry.
 */
export async function storeFile(
  metaStore: MetaStore,
  objects: ObjectStore,
  ref: StreamRef,
  schema: ColumnSpec[],
  rows: FlatRecord[],
  partitionDirs = '',
): Promise<FileEntry> {
  const builder = new ColumnarBatchBuilder(schema);
  for (const row of rows) builder.append(row);
  const encoded = encodeParquet(builder.finish());
  const entry: FileEntry = {
    org: ref.org,
    type: ref.type,
    stream: ref.name,
    date: dateOf(encoded.minTs),
    file: `${partitionDirs}${generateFileId()}.parquet`,
    minTs: encoded.minTs,
    maxTs: encoded.maxTs,
    records: encoded.records,
    originalSize: encoded.originalSize,
    compressedSize: encoded.compressedSize,
    indexSize: 0,
    flattened: false,
  };
  const key = storedFileKey(entry);
  const tokens = buildTokenIndex(await readParquet(encoded.bytes, { columns: ['log'] }), ['log']);
  await objects.put(tokenIndexKey(key), tokens);
  await objects.put(key, encoded.bytes);
  const final = { ...entry, indexSize: tokens.byteLength };
  await metaStore.fileList.add([final]);
  return final;
}

/** Every row of the stream's live files, as JSON text, sorted (order-free comparison). */
export async function liveRows(
  metaStore: MetaStore,
  objects: ObjectStore,
  ref: StreamRef,
): Promise<string[]> {
  const rows: string[] = [];
  for (const file of await metaStore.fileList.query(ref)) {
    const table = await readParquet(await objects.getBytes(storedFileKey(file)));
    for (const row of table.toArray() as Array<{ toJSON(): Record<string, unknown> }>) {
      const plain: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(row.toJSON())) {
        if (v !== null) plain[k] = typeof v === 'bigint' ? Number(v) : v;
      }
      rows.push(JSON.stringify(plain, Object.keys(plain).sort()));
    }
  }
  return rows.sort();
}
