import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_CACHE_MAX_BYTES, diskCacheMaxBytes } from './disk-cache-size.js';

const GB = 1024 ** 3;

describe('diskCacheMaxBytes (ZO_DISK_CACHE_MAX_SIZE)', () => {
  const root = mkdtempSync(join(tmpdir(), 'disk-cache-size-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('takes a positive setting as MB', () => {
    expect(diskCacheMaxBytes(512, root)).toBe(512 * 1024 * 1024);
  });

  it('0 is 10 % of the disk holding the cache dir (as df measures it), at most 50 GB', () => {
    // df is an independent measurement of the same filesystem.
    const out = execFileSync('df', ['-B1', '--output=size', root], { encoding: 'utf8' });
    const diskBytes = Number(out.trim().split('\n').pop());
    expect(diskBytes).toBeGreaterThan(0);
    const expected = Math.min(diskBytes * 0.1, DEFAULT_CACHE_MAX_BYTES);
    const got = diskCacheMaxBytes(0, root);
    expect(Math.abs(got - expected)).toBeLessThan(64 * 1024);
    // A cache dir that does not exist yet is measured on its nearest existing ancestor.
    expect(diskCacheMaxBytes(0, join(root, 'not', 'yet', 'there'))).toBe(got);
  });

  it('caps at 50 GB on a big disk and gives 10 % of a small one', () => {
    const disk = (bytes: number) => () => ({ blocks: bytes / 4096, bsize: 4096 });
    expect(diskCacheMaxBytes(0, root, disk(4096 * GB))).toBe(50 * GB);
    expect(diskCacheMaxBytes(0, root, disk(100 * GB))).toBe(10 * GB);
    expect(diskCacheMaxBytes(0, root, disk(20 * GB))).toBe(2 * GB);
  });
});
