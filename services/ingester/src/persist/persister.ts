import { mkdir, readdir, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Table } from 'apache-arrow';
import { FileIdGenerator, fileKey } from '@o2/parquet';
import type { EncodedParquet } from '@o2/parquet';
import type { Memtable } from '../memtable/memtables.js';
import { syncDir, writeFileSynced } from './fs-atomic.js';
import { META_SUFFIX } from './local-files.js';
import type { LocalFile, LocalFileMeta, LocalFiles } from './local-files.js';

export interface PersisterDirs {
  /** Where a commit is assembled; wiped at start. */
  staging: string;
  /** Committed directories `{segment}-{n}/…`, each holding one persist cycle's files. */
  files: string;
}

export type Encode = (table: Table) => Promise<EncodedParquet>;

/** The highest WAL segment whose rows are all in committed local files, from the dir names. */
export async function committedThrough(filesDir: string): Promise<number> {
  let max = -1;
  try {
    for (const name of await readdir(filesDir)) {
      const segment = Number(name.split('-')[0]);
      if (Number.isInteger(segment)) max = Math.max(max, segment);
    }
  } catch {
    // no files dir yet
  }
  return max;
}

/**
 * Turns frozen memtables into local Parquet files as one atomic commit: every file of a cycle
 * is written and fsynced into a staging directory, which is then renamed into `files/` in one
 * step. A crash before the rename leaves nothing (the WAL still has the rows); after it, the
 * directory name records the WAL segment the commit covers, so those segments are dropped
 * instead of replayed — each acknowledged row ends up in exactly one file.
 */
export class Persister {
  private readonly ids = new FileIdGenerator();
  private sequence = 0;

  constructor(
    private readonly dirs: PersisterDirs,
    private readonly encode: Encode,
    private readonly localFiles: LocalFiles,
  ) {}

  /** Removes half-written commits left by a crash. */
  async recover(): Promise<void> {
    await rm(this.dirs.staging, { recursive: true, force: true });
    await mkdir(this.dirs.staging, { recursive: true });
    await mkdir(this.dirs.files, { recursive: true });
  }

  /**
   * Writes the tables and commits them under `segment`. On failure the tables' rows are put
   * back into their builders (nothing is lost from memory) and the error is rethrown.
   */
  async commit(tables: readonly Memtable[], segment: number): Promise<LocalFile[]> {
    const name = `${segment}-${Date.now()}-${this.sequence++}`;
    const stagingDir = join(this.dirs.staging, name);
    const finished: Array<{ table: Memtable; arrow: Table }> = [];
    try {
      const written: Array<{ relative: string; meta: LocalFileMeta }> = [];
      for (const table of tables) {
        const schema = table.builder.schema.map((c) => ({ name: c.name, type: c.type }));
        const arrow = table.builder.finish();
        finished.push({ table, arrow });
        if (arrow.numRows === 0) continue;
        const encoded = await this.encode(arrow);
        const key = fileKey({
          org: table.org,
          streamType: table.type,
          stream: table.stream,
          ts: table.hour,
          partitions: table.partitions,
          id: this.ids.next(),
        });
        const relative = key.slice('files/'.length);
        const path = join(stagingDir, relative);
        await mkdir(dirname(path), { recursive: true });
        const meta: LocalFileMeta = {
          org: table.org,
          type: table.type,
          stream: table.stream,
          date: relative.split('/').slice(3, 7).join('/'),
          // `k=v/` directories between the hour and the file name, as file_list keeps them.
          partitionDirs: relative
            .split('/')
            .slice(7, -1)
            .map((d) => `${d}/`)
            .join(''),
          records: encoded.records,
          minTs: encoded.minTs,
          maxTs: encoded.maxTs,
          originalSize: encoded.originalSize,
          compressedSize: encoded.compressedSize,
          schema,
        };
        await writeFileSynced(path, encoded.bytes);
        await writeFileSynced(`${path}${META_SUFFIX}`, JSON.stringify(meta));
        written.push({ relative, meta });
      }
      if (written.length === 0) {
        await rm(stagingDir, { recursive: true, force: true });
        return [];
      }
      await syncTree(stagingDir);
      const committedDir = join(this.dirs.files, name);
      await rename(stagingDir, committedDir);
      await syncDir(this.dirs.files);
      const files = written.map(({ relative, meta }) => ({
        path: join(committedDir, relative),
        commitDir: committedDir,
        meta,
      }));
      for (const file of files) this.localFiles.add(file);
      return files;
    } catch (error) {
      for (const { table, arrow } of finished) table.builder.appendTable(arrow);
      await rm(stagingDir, { recursive: true, force: true }).catch(() => undefined);
      throw error;
    }
  }
}

/** fsyncs every directory of a freshly written tree so its entries survive a power cut. */
async function syncTree(root: string): Promise<void> {
  const dirs = [root];
  for (const entry of await readdir(root, { recursive: true, withFileTypes: true })) {
    if (entry.isDirectory()) dirs.push(join(entry.parentPath, entry.name));
  }
  for (const dir of dirs.reverse()) await syncDir(dir);
}
