import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '@o2/config';
import type { Config } from '@o2/config';
import type { MetaStore, StoredFileEntry } from '@o2/metastore';
import { openSqliteMetaStore } from '@o2/metastore';
import { ColumnarBatchBuilder, encodeParquet, readParquet, readParquetMetadata } from '@o2/parquet';
import { LocalObjectStore } from '@o2/storage';
import { DEFAULT_FTS_FIELDS } from '@o2/domain';
import { buildTokenIndex, EVERY_FIELD_LISTED, packTokenIndex } from '@o2/token-index';
import { FileCache } from '../file-cache.js';

/** µs; each stored file covers one hour from here. */
export const BASE = 1_700_000_000_000_000;
export const HOUR = 3_600_000_000;
export const ROWS_PER_FILE = 10;
/** The only file whose `log` holds this word. */
export const RARE_WORD = 'Zebra42Corp';
export const RARE_FILE = 1;
/** With `note`: the only `note` value holding this word, in file 2 (its index covers `log`). */
export const NOTE_WORD = 'Okapi77Ltd';
/** With `numberMessage`: the only `message` value of this number's text, in file 2. */
export const MESSAGE_NUMBER = 4242;

const SCHEMA = [
  { name: '_timestamp', type: 'Int64' as const },
  { name: 'log', type: 'Utf8' as const },
];

export interface StoredStream {
  config: Config;
  metaStore: MetaStore;
  objectStore: LocalObjectStore;
  files: FileCache;
  /** The stream's stored files, oldest first. */
  entries: StoredFileEntry[];
  close(): Promise<void>;
}

/**
 * A single node's disk after `fileCount` uploads of stream `default/logs/app`: real Parquet
 * objects with token indexes beside them, stored packed as the upload stores them (except file
 * `withoutIndex`, whose index object is missing although the file list says it has one), the
 * schema and the file list in SQLite.
 */
export async function storedStream(
  fileCount: number,
  options: {
    withoutIndex?: number;
    /** A file whose index object is in a format this build cannot read (a newer one). */
    unreadableIndex?: number;
    /** A file whose index is stored as builds before packing stored it (unpacked). */
    unpackedIndex?: number;
    env?: Record<string, string>;
    rowGroupSize?: number;
    /** Rows per file (default `ROWS_PER_FILE`). */
    rowsPerFile?: number;
    /**
     * A `note` text column too, left out of the token indexes (as a key added to the stream's
     * `full_text_search_keys` after the upload finds it).
     */
    note?: boolean;
    /**
     * A `message` column of numbers (a default full-text field, so never tokenised), indexed as
     * the upload does today: over every full-text field asked for, with `EVERY_FIELD_LISTED`.
     */
    numberMessage?: boolean;
  } = {},
): Promise<StoredStream> {
  const dir = await mkdtemp(join(tmpdir(), 'querier-'));
  const config = loadConfig({ ZO_DATA_DIR: `${dir}/`, ...options.env });
  const metaStore = await openSqliteMetaStore({ path: join(dir, 'metadata.sqlite') });
  await metaStore.migrate();
  const ref = { org: 'default', type: 'logs' as const, name: 'app' };
  const schema = [
    ...SCHEMA,
    ...(options.note === true ? [{ name: 'note', type: 'Utf8' as const }] : []),
    ...(options.numberMessage === true ? [{ name: 'message', type: 'Int64' as const }] : []),
  ];
  await metaStore.schemas.put(ref, 0, BASE, schema);
  const objectStore = new LocalObjectStore(config.ZO_DATA_STREAM_DIR);
  const rows = options.rowsPerFile ?? ROWS_PER_FILE;
  for (let i = 0; i < fileCount; i++) {
    const builder = new ColumnarBatchBuilder(schema, { initialRows: rows });
    for (let row = 0; row < rows; row++) {
      const word = i === RARE_FILE && row === 0 ? RARE_WORD : 'ok';
      builder.append({
        _timestamp: BASE + i * HOUR + row * 1_000_000,
        log: `file ${i} row ${row} ${word}`,
        ...(options.note === true ? { note: i === 2 && row === 0 ? NOTE_WORD : 'plain' } : {}),
        ...(options.numberMessage === true
          ? { message: i === 2 && row === 0 ? MESSAGE_NUMBER : row }
          : {}),
      });
    }
    const table = builder.finish();
    const prefix = `files/default/logs/app/2023/11/14/${String(22 + i).padStart(2, '0')}/f${i}`;
    const { rowGroupSize } = options;
    const encoded = encodeParquet(table, rowGroupSize === undefined ? {} : { rowGroupSize });
    await objectStore.put(`${prefix}.parquet`, encoded.bytes);
    // As the upload builds it: from the file as written (sorted), per row group.
    const rowGroups = (await readParquetMetadata(encoded.bytes)).rowGroups.map((g) => g.numRows);
    const indexed =
      options.numberMessage === true ? [...DEFAULT_FTS_FIELDS, EVERY_FIELD_LISTED] : ['log'];
    const index = buildTokenIndex(await readParquet(encoded.bytes), indexed, { rowGroups });
    const unpacked = i === options.unpackedIndex || i === options.unreadableIndex;
    const stored = unpacked ? index : packTokenIndex(index);
    if (i === options.unreadableIndex) stored[4] = 99; // an index version this build does not know
    if (i !== options.withoutIndex) await objectStore.put(`${prefix}.tokens`, stored);
    await metaStore.fileList.add([
      {
        org: 'default',
        type: 'logs',
        stream: 'app',
        date: `2023/11/14/${String(22 + i).padStart(2, '0')}`,
        file: `f${i}.parquet`,
        minTs: BASE + i * HOUR,
        maxTs: BASE + i * HOUR + (rows - 1) * 1_000_000,
        records: rows,
        originalSize: encoded.originalSize,
        compressedSize: encoded.compressedSize,
        indexSize: index.byteLength,
        flattened: false,
      },
    ]);
  }
  return {
    config,
    metaStore,
    objectStore,
    files: FileCache.fromConfig(config, objectStore),
    entries: await metaStore.fileList.query(ref),
    async close() {
      await metaStore.close();
      await objectStore.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
