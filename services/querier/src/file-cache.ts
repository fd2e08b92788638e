import { mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Config } from '@o2/config';
import type { ObjectStore } from '@o2/storage';
import { diskCacheMaxBytes } from './disk-cache-size.js';

/**
 * Local paths for object-store files, because DuckDB reads local files only. On local-disk
 * storage the objects already are files; on S3 they are downloaded once into ZO_DATA_CACHE_DIR
 * and kept, least recently used evicted past ZO_DISK_CACHE_MAX_SIZE. Concurrent requests for
 * the same key share one download.
 */
export class FileCache {
  private readonly entries = new Map<string, number>(); // key → bytes, in LRU order
  private readonly downloads = new Map<string, Promise<string>>();
  private bytes = 0;
  /** Told of each lookup on S3 storage: hit (already on disk) or miss (downloaded or joining a download). */
  onLookup: (hit: boolean) => void = () => undefined;

  constructor(
    private readonly objectStore: ObjectStore,
    private readonly mode: 'disk' | 's3',
    private readonly streamDir: string,
    private readonly cacheDir: string,
    private readonly maxBytes: number,
  ) {}

  static fromConfig(config: Config, objectStore: ObjectStore): FileCache {
    const cacheDir = join(config.ZO_DATA_CACHE_DIR, 'files');
    return new FileCache(
      objectStore,
      config.objectStorage,
      config.ZO_DATA_STREAM_DIR,
      cacheDir,
      diskCacheMaxBytes(config.ZO_DISK_CACHE_MAX_SIZE, cacheDir),
    );
  }

  /** Directories DuckDB may read from. */
  get directories(): string[] {
    return this.mode === 'disk' ? [this.streamDir] : [this.cacheDir];
  }

  async localPath(key: string): Promise<string> {
    if (this.mode === 'disk') return join(this.streamDir, key);
    const path = join(this.cacheDir, key);
    const known = this.entries.get(key);
    this.onLookup(known !== undefined);
    if (known !== undefined) {
      this.entries.delete(key);
      this.entries.set(key, known);
      return path;
    }
    let pending = this.downloads.get(key);
    if (pending === undefined) {
      pending = this.download(key, path).finally(() => this.downloads.delete(key));
      this.downloads.set(key, pending);
    }
    return pending;
  }

  private async download(key: string, path: string): Promise<string> {
    let size: number;
    try {
      size = (await stat(path)).size; // cached by an earlier process
    } catch {
      const body = await this.objectStore.getBytes(key);
      await mkdir(dirname(path), { recursive: true });
      const temp = `${path}.part-${process.pid}`;
      await writeFile(temp, body);
      await rename(temp, path);
      size = body.byteLength;
    }
    this.entries.set(key, size);
    this.bytes += size;
    await this.evict();
    return path;
  }

  private async evict(): Promise<void> {
    for (const [key, size] of this.entries) {
      if (this.bytes <= this.maxBytes || this.entries.size <= 1) return;
      this.entries.delete(key);
      this.bytes -= size;
      await rm(join(this.cacheDir, key), { force: true });
    }
  }
}
