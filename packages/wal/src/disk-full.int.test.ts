import { readdir, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mountSmallDisk } from '@o2/testing';
import type { SmallDisk } from '@o2/testing';
import { openWal } from './index.js';
import type { Wal } from './index.js';

const DISK_BYTES = 1024 * 1024;
const ENTRY_BYTES = 16 * 1024;

let disk: SmallDisk;
let wal: Wal | undefined;

beforeEach(async () => {
  disk = await mountSmallDisk(DISK_BYTES);
});
afterEach(async () => {
  await wal?.close().catch(() => undefined);
  wal = undefined;
  await disk.remove();
});

const entry = (n: number) => Buffer.alloc(ENTRY_BYTES, n % 251);
const open = (dir: string) =>
  openWal({ dir, fsync: true, maxSegmentBytes: 200 * 1024, maxSegmentAgeMs: 60_000 });

/** Every segment file's size equals what the WAL says it committed: no torn bytes. */
async function expectNoTornBytes(w: Wal): Promise<void> {
  for (const segment of w.segments()) expect((await stat(segment.path)).size).toBe(segment.bytes);
}

// A real 1 MiB tmpfs: the kernel refuses writes with ENOSPC once it is full.
describe('wal on a full disk', () => {
  it('refuses with a clear 503, leaves no torn segment, and appends again once space returns', async () => {
    const dir = join(disk.path, 'wal');
    // Room to give back later, as uploads do when they delete local files.
    const filler = join(disk.path, 'filler');
    await writeFile(filler, Buffer.alloc(256 * 1024));
    wal = await open(dir);
    const acked: number[] = [];
    let refusal: unknown;
    for (let n = 0; n < 200 && refusal === undefined; n++) {
      try {
        await wal.append(entry(n));
        acked.push(n);
      } catch (error) {
        refusal = error;
      }
    }
    expect(acked.length).toBeGreaterThan(10);
    expect(refusal).toMatchObject({
      code: 'UNAVAILABLE',
      retryAfterSeconds: 2,
      message: expect.stringMatching(/^write-ahead log disk is full/) as string,
    });
    await expectNoTornBytes(wal);
    expect(wal.degradedReason()).toMatch(/^write-ahead log disk is full/);
    // Still full: refused again, still not torn, and the WAL is not poisoned by it.
    await expect(wal.append(entry(999))).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    await expectNoTornBytes(wal);

    await rm(filler);
    const next = acked.length;
    await wal.append(entry(next));
    acked.push(next);
    await expectNoTornBytes(wal);
    expect(wal.degradedReason()).toBeUndefined();
    await wal.close();

    // Reopening finds a clean tail and exactly the acknowledged entries, in order.
    wal = await open(dir);
    expect(wal.recovery).toMatchObject({ truncatedBytes: 0 });
    const replayed: number[] = [];
    for await (const record of wal.replay()) {
      expect(record.entry.byteLength).toBe(ENTRY_BYTES);
      replayed.push(record.entry[0] as number);
    }
    expect(replayed).toEqual(acked.map((n) => n % 251));
    // No stray segment files left from a rotation that failed for lack of space.
    const files = (await readdir(dir)).filter((f) => f.endsWith('.wal'));
    expect(files.length).toBe(wal.segments().length);
  }, 60_000);
});
