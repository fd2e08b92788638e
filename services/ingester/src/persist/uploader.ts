import { mkdir, readdir, readFile, rm, rmdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Cluster } from '@o2/cluster';
import type { FileEntry, MetaStore } from '@o2/metastore';
import { FileIdGenerator, mergeParquetFiles } from '@o2/parquet';
import type { ColumnSpec, EncodedParquet, MergeParquetOptions } from '@o2/parquet';
import type { ObjectStore } from '@o2/storage';
import { writeFileAtomic } from './fs-atomic.js';
import { META_SUFFIX } from './local-files.js';
import type { LocalFile, LocalFiles } from './local-files.js';

/** Topic of the event published when a file is registered in file_list. */
export const FILE_ADDED_TOPIC = 'file.added';

/**
 * An upload in progress, written before the object is put: which local files make it and
 * under which key. A crash anywhere is finished at start by re-running the manifest — the key
 * is fixed and file_list registration is idempotent, so nothing is stored twice.
 */
interface Manifest {
  key: string;
  sources: string[];
  entry: FileEntry;
}

/** Object key of a data file's token index (beside it, `.tokens` instead of `.parquet`). */
export function tokenIndexKey(dataKey: string): string {
  return dataKey.replace(/\.parquet$/, '.tokens');
}

export interface UploaderOptions {
  /**
   * Builds the file's full-text token index (undefined: no index), from its bytes and the
   * stream it belongs to; written before the file is registered, so a registered file with
   * `indexSize > 0` always has its index.
   */
  buildIndex?: (body: Uint8Array, entry: FileEntry) => Promise<Uint8Array | undefined>;
  manifestsDir: string;
  /** ZO_COMPACT_MAX_FILE_SIZE in bytes: merged uploads stay below it. */
  maxFileBytes: number;
  encode: MergeParquetOptions['encode'];
}

/**
 * Moves committed local Parquet to the object store: files of one stream-hour are merged into
 * as few objects as the size limit allows, each put under a new key, registered in file_list,
 * announced, and only then deleted locally.
 */
export class Uploader {
  private readonly ids = new FileIdGenerator();

  constructor(
    private readonly options: UploaderOptions,
    private readonly localFiles: LocalFiles,
    private readonly objectStore: ObjectStore,
    private readonly metaStore: MetaStore,
    private readonly cluster: Cluster,
  ) {}

  /** Finishes uploads a crash interrupted. Call before the first `uploadAll`. */
  async recover(): Promise<void> {
    await mkdir(this.options.manifestsDir, { recursive: true });
    for (const name of await readdir(this.options.manifestsDir)) {
      const path = join(this.options.manifestsDir, name);
      if (!name.endsWith('.json')) {
        await rm(path, { force: true });
        continue;
      }
      const manifest = JSON.parse(await readFile(path, 'utf8')) as Manifest;
      await this.run(manifest, path);
    }
  }

  /** Uploads every local file present now; resolves when they are all registered. */
  async uploadAll(): Promise<number> {
    const groups = new Map<string, LocalFile[]>();
    for (const file of this.localFiles.list()) {
      const group = `${file.meta.org}/${file.meta.type}/${file.meta.stream}/${file.meta.date}/${file.meta.partitionDirs ?? ''}`;
      groups.set(group, [...(groups.get(group) ?? []), file]);
    }
    let uploaded = 0;
    for (const files of groups.values()) {
      for (const chunk of this.chunks(files)) {
        const id = this.ids.next();
        const first = chunk[0] as LocalFile;
        const entry: FileEntry = {
          org: first.meta.org,
          type: first.meta.type,
          stream: first.meta.stream,
          date: first.meta.date,
          file: `${first.meta.partitionDirs ?? ''}${id}.parquet`,
          minTs: Math.min(...chunk.map((f) => f.meta.minTs)),
          maxTs: Math.max(...chunk.map((f) => f.meta.maxTs)),
          records: chunk.reduce((sum, f) => sum + f.meta.records, 0),
          originalSize: chunk.reduce((sum, f) => sum + f.meta.originalSize, 0),
          compressedSize: 0, // set from the merged bytes
          indexSize: 0,
          flattened: false,
        };
        const manifest: Manifest = {
          key: `files/${first.meta.org}/${first.meta.type}/${first.meta.stream}/${entry.date}/${entry.file}`,
          sources: chunk.map((f) => f.path),
          entry,
        };
        const path = join(this.options.manifestsDir, `${id}.json`);
        await writeFileAtomic(path, JSON.stringify(manifest));
        await this.run(manifest, path);
        uploaded++;
      }
    }
    return uploaded;
  }

  /** Splits a stream-hour's files into merges no larger than the limit (one file at least). */
  private chunks(files: readonly LocalFile[]): LocalFile[][] {
    const chunks: LocalFile[][] = [];
    let current: LocalFile[] = [];
    let size = 0;
    for (const file of files) {
      if (current.length > 0 && size + file.meta.compressedSize > this.options.maxFileBytes) {
        chunks.push(current);
        current = [];
        size = 0;
      }
      current.push(file);
      size += file.meta.compressedSize;
    }
    if (current.length > 0) chunks.push(current);
    return chunks;
  }

  private async run(manifest: Manifest, manifestPath: string): Promise<void> {
    const { entry } = manifest;
    const ref = { org: entry.org, type: entry.type, name: entry.stream };
    const registered = await this.metaStore.fileList.get(ref, entry.date, entry.file);
    if (registered === undefined) {
      const bytes = await Promise.all(manifest.sources.map((source) => readFile(source)));
      const schema = await this.schemaOf(manifest.sources);
      const body: Uint8Array =
        bytes.length === 1 ? (bytes[0] as Uint8Array) : (await this.merge(bytes, schema)).bytes;
      const index = await this.options.buildIndex?.(body, entry);
      if (index !== undefined) await this.objectStore.put(tokenIndexKey(manifest.key), index);
      await this.objectStore.put(manifest.key, body);
      const final: FileEntry = {
        ...entry,
        compressedSize: body.byteLength,
        indexSize: index?.byteLength ?? 0,
      };
      await this.metaStore.fileList.add([final]);
      // The event only warms queriers' caches; the file is registered, so a NATS outage must
      // not fail the upload (a failed run is redone under a new key: a duplicate object).
      await this.cluster.events
        .publish(FILE_ADDED_TOPIC, { key: manifest.key, ...final })
        .catch(() => undefined);
    }
    for (const source of manifest.sources) {
      await this.localFiles.whenUnpinned(source);
      await rm(`${source}${META_SUFFIX}`, { force: true });
      await rm(source, { force: true });
      this.localFiles.remove(source);
      await removeEmptyParents(dirname(source));
    }
    await rm(manifestPath, { force: true });
  }

  private merge(files: Uint8Array[], schema: ColumnSpec[]): Promise<EncodedParquet> {
    const options: MergeParquetOptions =
      this.options.encode === undefined ? {} : { encode: this.options.encode };
    return mergeParquetFiles(files, schema, options);
  }

  private async schemaOf(sources: readonly string[]): Promise<ColumnSpec[]> {
    const last = sources[sources.length - 1];
    if (last === undefined) return [];
    try {
      const meta = JSON.parse(await readFile(`${last}${META_SUFFIX}`, 'utf8')) as {
        schema: ColumnSpec[];
      };
      return meta.schema;
    } catch {
      return [];
    }
  }
}

/** Removes directories left empty up to (not including) the `files` root's commit dirs' parent. */
async function removeEmptyParents(dir: string): Promise<void> {
  let current = dir;
  for (let depth = 0; depth < 12; depth++) {
    try {
      await rmdir(current);
    } catch {
      return; // not empty (or gone): stop climbing
    }
    const parent = dirname(current);
    if (parent.endsWith('/files') || parent === current) return;
    current = parent;
  }
}
