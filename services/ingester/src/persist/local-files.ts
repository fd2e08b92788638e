import { readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { StreamKind } from '@o2/domain';

/** The sidecar written next to every local Parquet file: what its file_list row needs. */
export interface LocalFileMeta {
  org: string;
  type: StreamKind;
  stream: string;
  /** `YYYY/MM/DD/HH`. */
  date: string;
  /** Partition directories (`k=v/…`, '' when none), part of the file_list `file` column. */
  partitionDirs: string;
  records: number;
  minTs: number;
  maxTs: number;
  originalSize: number;
  compressedSize: number;
  /** Schema the file was written with (the merge's column order). */
  schema: Array<{ name: string; type: string }>;
}

export interface LocalFile {
  /** Absolute path of the .parquet file. */
  path: string;
  /** The commit directory it belongs to (`files/{segment}-{n}`). */
  commitDir: string;
  meta: LocalFileMeta;
}

export const META_SUFFIX = '.meta.json';

/**
 * Parquet files persisted locally and not uploaded yet, in memory for stream stats and hot
 * queries, rebuilt from the committed directories at start.
 */
export class LocalFiles {
  private readonly files = new Map<string, LocalFile>();
  /** Files a running query reads: the uploader waits before deleting them. */
  private readonly pins = new Map<string, number>();
  private readonly unpinned = new Map<string, Array<() => void>>();

  pin(path: string): void {
    this.pins.set(path, (this.pins.get(path) ?? 0) + 1);
  }

  unpin(path: string): void {
    const left = (this.pins.get(path) ?? 1) - 1;
    if (left > 0) {
      this.pins.set(path, left);
      return;
    }
    this.pins.delete(path);
    for (const wake of this.unpinned.get(path) ?? []) wake();
    this.unpinned.delete(path);
  }

  /** Resolves once no query reads the file. */
  async whenUnpinned(path: string): Promise<void> {
    if (!this.pins.has(path)) return;
    await new Promise<void>((resolve) =>
      this.unpinned.set(path, [...(this.unpinned.get(path) ?? []), resolve]),
    );
  }

  /** Files added so far: a snapshot tells from it whether a commit happened meanwhile. */
  additions = 0;

  add(file: LocalFile): void {
    this.files.set(file.path, file);
    this.additions++;
  }

  get(path: string): LocalFile | undefined {
    return this.files.get(path);
  }

  remove(path: string): void {
    this.files.delete(path);
  }

  list(): LocalFile[] {
    return [...this.files.values()];
  }

  /** Reads every committed file's sidecar under `filesDir`. */
  static async scan(filesDir: string): Promise<LocalFiles> {
    const local = new LocalFiles();
    let commits: string[] = [];
    try {
      commits = await readdir(filesDir);
    } catch {
      return local;
    }
    for (const commit of commits) {
      const commitDir = join(filesDir, commit);
      const entries = await readdir(commitDir, { recursive: true });
      for (const entry of entries) {
        if (!entry.endsWith(META_SUFFIX)) continue;
        const metaPath = join(commitDir, entry);
        const path = metaPath.slice(0, -META_SUFFIX.length);
        const meta = JSON.parse(await readFile(metaPath, 'utf8')) as LocalFileMeta;
        local.add({ path, commitDir, meta });
      }
    }
    return local;
  }
}

/** Paths that cannot name a file: nothing was written there, so nothing to remove. */
const UNUSABLE_PATH = new Set(['ENOENT', 'ENOTDIR', 'ENAMETOOLONG']);

/** Removes a file and its sidecar (what a failed write left); a path that cannot exist is already clean. */
export async function removeFile(path: string): Promise<void> {
  for (const target of [`${path}${META_SUFFIX}`, path]) {
    try {
      await rm(target, { force: true });
    } catch (error) {
      if (!UNUSABLE_PATH.has(String((error as { code?: unknown }).code))) throw error;
    }
  }
}
