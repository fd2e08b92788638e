import { statfsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

const MB = 1024 * 1024;
/** ZO_DISK_CACHE_MAX_SIZE=0 takes this share of the disk holding the cache … */
export const DEFAULT_CACHE_DISK_SHARE = 0.1;
/** … but never more than this. */
export const DEFAULT_CACHE_MAX_BYTES = 50 * 1024 ** 3;

/** Total bytes of the filesystem holding `path`; the subset of `fs.statfsSync` used here. */
export type DiskSize = (path: string) => { blocks: number; bsize: number };

/**
 * The querier's disk-cache budget in bytes. A positive ZO_DISK_CACHE_MAX_SIZE is MB; 0 means
 * 10 % of the filesystem the cache dir lives on, at most 50 GB (as the settings table says), so
 * a small disk is not filled by cached files. The cache dir may not exist yet at start-up, so
 * its nearest existing ancestor is measured.
 */
export function diskCacheMaxBytes(
  configuredMb: number,
  cacheDir: string,
  diskSize: DiskSize = statfsSync,
): number {
  if (configuredMb > 0) return configuredMb * MB;
  let dir = resolve(cacheDir);
  for (;;) {
    try {
      const { blocks, bsize } = diskSize(dir);
      return Math.min(
        Math.floor(blocks * bsize * DEFAULT_CACHE_DISK_SHARE),
        DEFAULT_CACHE_MAX_BYTES,
      );
    } catch (error) {
      const parent = dirname(dir);
      if (parent === dir || (error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      dir = parent;
    }
  }
}
