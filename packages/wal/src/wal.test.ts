import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '@o2/errors';
import { openWal } from './index.js';
import type { Wal, WalOptions, WalRecord } from './index.js';

let dir: string;
const open: Wal[] = [];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'o2ts-wal-'));
});

afterEach(async () => {
  await Promise.all(open.splice(0).map((wal) => wal.close()));
  await rm(dir, { recursive: true, force: true });
});

async function openTestWal(options: Partial<WalOptions> = {}): Promise<Wal> {
  const wal = await openWal({
    dir,
    fsync: false,
    maxSegmentBytes: 1024 * 1024,
    maxSegmentAgeMs: 60_000,
    ...options,
  });
  open.push(wal);
  return wal;
}

async function replayAll(wal: Wal): Promise<WalRecord[]> {
  const records: WalRecord[] = [];
  for await (const record of wal.replay()) records.push(record);
  return records;
}

const text = (record: WalRecord): string => Buffer.from(record.entry).toString('utf8');
const bytes = (value: string): Uint8Array => Buffer.from(value, 'utf8');

describe('wal', () => {
  it('replays what was appended, byte for byte, including chunked and empty entries', async () => {
    const wal = await openTestWal();
    const binary = new Uint8Array(70_000).map((_, i) => (i * 31) % 256);
    const first = await wal.append(bytes('first'));
    await wal.append([bytes('head|'), bytes('body')]);
    await wal.append(new Uint8Array(0));
    await wal.append(binary);

    const records = await replayAll(wal);
    expect(records.map((record) => Buffer.from(record.entry))).toEqual([
      Buffer.from('first'),
      Buffer.from('head|body'),
      Buffer.alloc(0),
      Buffer.from(binary),
    ]);
    expect(records[0]?.position).toEqual(first);
  });

  it('replays many concurrent appends exactly once, in call order', async () => {
    const wal = await openTestWal({ maxSegmentBytes: 64 * 1024 });
    const appends = Array.from({ length: 2000 }, (_, i) =>
      wal.append(bytes(`entry-${i}-${'x'.repeat(i % 97)}`)),
    );
    const positions = await Promise.all(appends);

    const ordered = positions.every((position, i) => {
      const previous = positions[i - 1];
      if (previous === undefined) return true;
      return (
        position.segment > previous.segment ||
        (position.segment === previous.segment && position.offset > previous.offset)
      );
    });
    expect(ordered).toBe(true);
    const records = await replayAll(wal);
    expect(records.map((record) => text(record).split('-')[1])).toEqual(
      Array.from({ length: 2000 }, (_, i) => String(i)),
    );
    expect(records.map((record) => record.position)).toEqual(positions);
    expect(wal.segments().length).toBeGreaterThan(1);
  });

  it('rotates before a segment would exceed maxSegmentBytes', async () => {
    const wal = await openTestWal({ maxSegmentBytes: 1000 });
    for (let i = 0; i < 20; i++) await wal.append(new Uint8Array(100));

    const segments = wal.segments();
    // 32-byte header + 8 entries of 8 + 100 bytes = 896; a ninth would make 1004.
    expect(segments.map((segment) => segment.bytes)).toEqual([896, 896, 464]);
    expect(segments.map((segment) => segment.active)).toEqual([false, false, true]);
    for (const segment of segments) expect((await stat(segment.path)).size).toBe(segment.bytes);
    expect(await replayAll(wal)).toHaveLength(20);
  });

  it('gives an entry larger than a whole segment a segment of its own', async () => {
    const wal = await openTestWal({ maxSegmentBytes: 1000 });
    await wal.append(new Uint8Array(10));
    const big = await wal.append(new Uint8Array(5000));
    await wal.append(new Uint8Array(10));
    expect(big.segment).toBe(2);
    expect(wal.segments().map((segment) => segment.bytes)).toEqual([50, 5040, 50]);
    expect((await replayAll(wal)).map((record) => record.entry.length)).toEqual([10, 5000, 10]);
  });

  it('rotates a segment older than maxSegmentAgeMs on the next append', async () => {
    let clock = 1_000_000;
    const wal = await openTestWal({ maxSegmentAgeMs: 600_000, now: () => clock });
    await wal.append(bytes('a'));
    clock += 599_999;
    expect((await wal.append(bytes('b'))).segment).toBe(1);
    clock += 1;
    expect((await wal.append(bytes('c'))).segment).toBe(2);
    clock += 599_999;
    // A new segment's age counts from its creation.
    expect((await wal.append(bytes('d'))).segment).toBe(2);
    clock += 1;
    expect((await wal.append(bytes('e'))).segment).toBe(3);
    expect((await replayAll(wal)).map(text)).toEqual(['a', 'b', 'c', 'd', 'e']);
  });

  it('rotate() returns the segment holding everything appended before it', async () => {
    const wal = await openTestWal();
    const pending = [wal.append(bytes('a')), wal.append(bytes('b'))];
    const rotated = wal.rotate();
    const after = wal.append(bytes('c'));
    expect(await rotated).toBe(1);
    expect((await Promise.all(pending)).map((position) => position.segment)).toEqual([1, 1]);
    expect((await after).segment).toBe(2);
    expect(await wal.rotate()).toBe(2);
    // Nothing appended since: no new segment, and the answer still covers everything.
    expect(await wal.rotate()).toBe(2);
    expect(wal.segments().map((segment) => segment.id)).toEqual([1, 2, 3]);
  });

  it('replays every segment after close and reopen, and appends to a fresh segment', async () => {
    const first = await openTestWal({ maxSegmentBytes: 200 });
    for (let i = 0; i < 30; i++) await first.append(bytes(`one-${i}`));
    await first.close();

    const second = await openTestWal({ maxSegmentBytes: 200 });
    expect(second.recovery).toMatchObject({ truncatedBytes: 0, reason: null });
    const lastBefore = Math.max(
      ...second
        .segments()
        .filter((s) => !s.active)
        .map((s) => s.id),
    );
    expect(second.segments().at(-1)).toMatchObject({ id: lastBefore + 1, active: true });
    await second.append(bytes('two-0'));
    await second.close();

    const third = await openTestWal({ maxSegmentBytes: 200 });
    const replayed = (await replayAll(third)).map(text);
    expect(replayed).toEqual([...Array.from({ length: 30 }, (_, i) => `one-${i}`), 'two-0']);
  });

  it('removes a last segment that holds no entries when reopening', async () => {
    const first = await openTestWal();
    await first.close();
    const second = await openTestWal();
    await second.close();
    expect(await readdir(dir)).toEqual(['00000000000000000002.wal']);
    const third = await openTestWal();
    expect(third.recovery).toMatchObject({ segment: 2, entries: 0, truncatedBytes: 0 });
    expect(third.segments().map((segment) => segment.id)).toEqual([3]);
  });

  it('dropThrough deletes closed segments up to the id and never the active one', async () => {
    const wal = await openTestWal();
    for (const name of ['a', 'b', 'c']) {
      await wal.append(bytes(name));
      await wal.rotate();
    }
    await wal.append(bytes('d'));
    expect(wal.segments().map((segment) => segment.id)).toEqual([1, 2, 3, 4]);

    await wal.dropThrough(2);
    expect(wal.segments().map((segment) => segment.id)).toEqual([3, 4]);
    expect((await readdir(dir)).sort()).toEqual([
      '00000000000000000003.wal',
      '00000000000000000004.wal',
    ]);
    expect((await replayAll(wal)).map(text)).toEqual(['c', 'd']);

    const refused = await wal.dropThrough(4).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(AppError);
    expect((refused as AppError).code).toBe('INVALID_ARGUMENT');
    expect(wal.segments().map((segment) => segment.id)).toEqual([3, 4]);

    await wal.dropThrough(3);
    await wal.dropThrough(3);
    expect(await readdir(dir)).toEqual(['00000000000000000004.wal']);
    expect((await replayAll(wal)).map(text)).toEqual(['d']);
  });

  it('writes queued appends before closing, then refuses new ones', async () => {
    const wal = await openTestWal();
    const pending = Array.from({ length: 100 }, (_, i) => wal.append(bytes(`e${i}`)));
    const closing = wal.close();
    const late = await wal.append(bytes('late')).catch((error: unknown) => error);
    await closing;
    await Promise.all(pending);
    expect((late as AppError).code).toBe('UNAVAILABLE');
    await wal.close();

    const reopened = await openTestWal();
    expect(await replayAll(reopened)).toHaveLength(100);
  });

  it('works the same with fsync on', async () => {
    const wal = await openTestWal({ fsync: true, maxSegmentBytes: 4096 });
    const positions = await Promise.all(
      Array.from({ length: 200 }, (_, i) => wal.append(bytes(`synced-${i}`))),
    );
    await wal.close();
    const reopened = await openTestWal({ fsync: true });
    const records = await replayAll(reopened);
    expect(records.map((record) => record.position)).toEqual(positions);
  });

  it('rejects bad options and bad entries', async () => {
    await expect(openTestWal({ maxSegmentBytes: 10 })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
    });
    await expect(openTestWal({ maxSegmentAgeMs: 0 })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
    });
    const wal = await openTestWal();
    await expect(wal.append(['text' as unknown as Uint8Array])).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
    });
    await expect(wal.dropThrough(1.5)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });
});
