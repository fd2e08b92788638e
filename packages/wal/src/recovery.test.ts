import { mkdtemp, open, readFile, rm, stat, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '@o2/errors';
import { openWal } from './index.js';
import type { StopReason, Wal, WalOptions, WalPosition } from './index.js';

let dir: string;
const opened: Wal[] = [];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'o2ts-wal-recovery-'));
});

afterEach(async () => {
  await Promise.all(opened.splice(0).map((wal) => wal.close()));
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
  opened.push(wal);
  return wal;
}

async function replayTexts(wal: Wal): Promise<string[]> {
  const texts: string[] = [];
  for await (const record of wal.replay()) texts.push(Buffer.from(record.entry).toString());
  return texts;
}

const segmentFile = (id: number): string => join(dir, `${String(id).padStart(20, '0')}.wal`);
const names = (prefix: string, count: number): string[] =>
  Array.from({ length: count }, (_, i) => `${prefix}${i}-${'p'.repeat(i * 3)}`);

/** Ten entries in segment 1, closed; returns their positions. */
async function writeTen(): Promise<WalPosition[]> {
  const wal = await openTestWal();
  const positions: WalPosition[] = [];
  for (const name of names('e', 10)) positions.push(await wal.append(Buffer.from(name)));
  await wal.close();
  return positions;
}

async function flipByte(path: string, offset: number): Promise<void> {
  const file = await open(path, 'r+');
  try {
    const byte = Buffer.alloc(1);
    await file.read(byte, 0, 1, offset);
    byte[0] = (byte[0] ?? 0) ^ 0xff;
    await file.write(byte, 0, 1, offset);
  } finally {
    await file.close();
  }
}

describe('wal recovery', () => {
  const tornTails: {
    name: string;
    reason: StopReason;
    /** The damage hits only bytes after the tenth entry. */
    keepsAll?: boolean;
    damage: (lastOffset: number) => Promise<void>;
  }[] = [
    {
      name: 'a cut inside the last frame header',
      reason: 'short-frame-header',
      damage: (last) => truncate(segmentFile(1), last + 3),
    },
    {
      name: 'a cut inside the last payload',
      reason: 'short-payload',
      damage: (last) => truncate(segmentFile(1), last + 8 + 2),
    },
    {
      name: 'a flipped crc byte in the last entry',
      reason: 'bad-crc',
      damage: (last) => flipByte(segmentFile(1), last + 5),
    },
    {
      name: 'a flipped payload byte in the last entry',
      reason: 'bad-crc',
      damage: (last) => flipByte(segmentFile(1), last + 8),
    },
    {
      name: 'zeros after the last entry (what a power cut can leave)',
      reason: 'bad-crc',
      keepsAll: true,
      damage: async () => {
        const file = await open(segmentFile(1), 'a');
        await file.write(Buffer.alloc(4096));
        await file.close();
      },
    },
  ];

  for (const { name, reason, keepsAll = false, damage } of tornTails) {
    it(`keeps the good prefix and cuts the file after ${name}`, async () => {
      const positions = await writeTen();
      const fullSize = (await stat(segmentFile(1))).size;
      const last = positions[9]?.offset ?? 0;
      const goodEnd = keepsAll ? fullSize : last;
      const goodEntries = keepsAll ? 10 : 9;
      await damage(last);
      const damagedSize = (await stat(segmentFile(1))).size;

      const wal = await openTestWal();
      expect(wal.recovery).toEqual({
        segment: 1,
        entries: goodEntries,
        truncatedBytes: damagedSize - goodEnd,
        truncatedAt: goodEnd,
        reason,
      });
      expect((await stat(segmentFile(1))).size).toBe(goodEnd);
      const expected = names('e', 10).slice(0, goodEntries);
      expect(await replayTexts(wal)).toEqual(expected);

      await wal.append(Buffer.from('after-0'));
      await wal.append(Buffer.from('after-1'));
      await wal.close();
      const reopened = await openTestWal();
      expect(reopened.recovery).toMatchObject({ truncatedBytes: 0, reason: null });
      expect(await replayTexts(reopened)).toEqual([...expected, 'after-0', 'after-1']);
    });
  }

  it('removes a last segment cut inside its own header and keeps the earlier ones', async () => {
    await writeTen();
    await writeFile(segmentFile(2), Buffer.from('O2WL\u0001'));
    const wal = await openTestWal();
    expect(wal.recovery).toEqual({
      segment: 2,
      entries: 0,
      truncatedBytes: 5,
      truncatedAt: 0,
      reason: 'short-segment-header',
    });
    expect(wal.segments().map((segment) => segment.id)).toEqual([1, 3]);
    expect(await replayTexts(wal)).toEqual(names('e', 10));
  });

  it('refuses to open over a last segment whose whole header is wrong, leaving it as it was', async () => {
    await writeTen();
    const garbage = Buffer.alloc(100, 7);
    await writeFile(segmentFile(2), garbage);
    const error = await openTestWal().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('INTERNAL');
    expect((error as AppError).message).toContain('00000000000000000002.wal');
    expect(await readFile(segmentFile(2))).toEqual(garbage);
  });

  async function writeThreeSegments(): Promise<WalPosition[]> {
    const wal = await openTestWal({ maxSegmentBytes: 200 });
    const positions: WalPosition[] = [];
    for (const name of names('s', 12)) positions.push(await wal.append(Buffer.from(name)));
    await wal.close();
    expect(new Set(positions.map((position) => position.segment)).size).toBeGreaterThan(2);
    return positions;
  }

  async function replayUntilError(wal: Wal): Promise<{ texts: string[]; error: unknown }> {
    const texts: string[] = [];
    try {
      for await (const record of wal.replay()) {
        texts.push(Buffer.from(record.entry).toString());
      }
    } catch (error) {
      return { texts, error };
    }
    return { texts, error: null };
  }

  it('reports corruption in the middle of an older segment after yielding what precedes it', async () => {
    const positions = await writeThreeSegments();
    const victim = positions[1];
    if (victim === undefined || victim.segment !== 1) throw new Error('layout changed');
    await flipByte(segmentFile(1), victim.offset + 9);
    const damaged = await readFile(segmentFile(1));

    const wal = await openTestWal({ maxSegmentBytes: 200 });
    expect(wal.recovery.reason).toBeNull();
    const { texts, error } = await replayUntilError(wal);
    expect(texts).toEqual(names('s', 1));
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('INTERNAL');
    expect((error as AppError).message).toContain('00000000000000000001.wal');
    expect((error as AppError).message).toContain(`offset ${victim.offset}`);
    expect(JSON.parse((error as AppError).details ?? '{}')).toMatchObject({
      segment: 1,
      offset: victim.offset,
      reason: 'bad-crc',
    });
    // Nothing was cut or rewritten: the bytes stay for an operator to inspect.
    expect(await readFile(segmentFile(1))).toEqual(damaged);
  });

  it('treats a short older segment as corruption, not as a torn tail', async () => {
    const positions = await writeThreeSegments();
    const lastOfFirst = positions.filter((position) => position.segment === 1).at(-1);
    if (lastOfFirst === undefined) throw new Error('layout changed');
    await truncate(segmentFile(1), lastOfFirst.offset + 4);

    const wal = await openTestWal({ maxSegmentBytes: 200 });
    const { texts, error } = await replayUntilError(wal);
    const inFirst = positions.filter((position) => position.segment === 1).length;
    expect(texts).toEqual(names('s', inFirst - 1));
    expect((error as AppError).code).toBe('INTERNAL');
    expect(JSON.parse((error as AppError).details ?? '{}')).toMatchObject({
      segment: 1,
      offset: lastOfFirst.offset,
      reason: 'short-frame-header',
    });
  });
});
