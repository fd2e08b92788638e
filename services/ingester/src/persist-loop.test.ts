import { readFile } from 'node:fs/promises';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '@o2/config';
import type { Config } from '@o2/config';
import { ParquetEncoderPool, readParquet } from '@o2/parquet';
import type { Schema } from '@o2/schema';
import { makeTempDir } from '@o2/testing';
import type { TempDir } from '@o2/testing';
import type { Wal } from '@o2/wal';
import { HOUR_MICROS, Memtables } from './memtable/memtables.js';
import { PersistLoop } from './persist-loop.js';
import type { PersistLoopOptions } from './persist-loop.js';
import { Quarantine } from './persist/quarantine.js';
import { StoreHealth } from './persist/store-health.js';
import { silentLogger } from './test-support/ingester-fixture.js';
import { WriteGate } from './write-gate.js';

const schema: Schema = [
  { name: '_timestamp', type: 'Int64' },
  { name: 'msg', type: 'Utf8' },
];
const hour = 1_000 * HOUR_MICROS;
const web = { org: 'default', type: 'logs' as const, stream: 'web' };

async function replayed(wal: Wal): Promise<number> {
  let n = 0;
  for await (const _ of wal.replay()) n += 1;
  return n;
}

describe('PersistLoop', () => {
  let dir: TempDir | undefined;
  const opened: PersistLoop[] = [];
  const pool = new ParquetEncoderPool({ size: 1 });
  afterAll(() => pool.close());
  afterEach(async () => {
    for (const loop of opened.splice(0)) await loop.wal.close().catch(() => undefined);
    await dir?.remove();
    dir = undefined;
  });

  async function open(
    config: Config,
    memtables: Memtables,
    health: StoreHealth,
    extra: Partial<Pick<PersistLoopOptions, 'encode' | 'sliceBytes'>> = {},
  ) {
    const walRoot = config.ZO_DATA_WAL_DIR;
    const loop = await PersistLoop.open({
      config,
      walRoot,
      memtables,
      gate: new WriteGate(),
      health,
      quarantine: new Quarantine(
        `${walRoot}/quarantine`,
        () => 5_000,
        () => undefined,
      ),
      encode: pool,
      maxAttempts: 3,
      maxBackoffMs: 1_000,
      now: () => 5_000,
      logger: silentLogger,
      ...extra,
    });
    opened.push(loop);
    return loop;
  }

  it('commits memtables as local Parquet and drops the WAL they came from, across a restart', async () => {
    dir = await makeTempDir('persist-loop');
    const config = loadConfig({ ZO_DATA_DIR: `${dir.path}/` });
    const memtables = new Memtables(() => 5_000);
    const health = new StoreHealth(() => 5_000);
    const loop = await open(config, memtables, health);
    await loop.wal.append(new TextEncoder().encode('request 1'));
    memtables.append(web, schema, [{ _timestamp: hour, msg: 'a' }], [hour]);
    memtables.append(web, schema, [{ _timestamp: hour + 1, msg: 'b' }], [hour + 1]);

    expect(await loop.cycle()).toEqual({ pending: 0 });
    expect(memtables.isEmpty()).toBe(true);
    expect(loop.localFiles.list().map((f) => f.meta.records)).toEqual([2]);
    expect(loop.wal.segments().filter((s) => !s.active)).toEqual([]);
    expect(health.reasons()).toEqual([]);

    await loop.wal.close();
    const again = await open(config, new Memtables(() => 5_000), health);
    expect(await replayed(again.wal)).toBe(0);
    expect(again.localFiles.list().map((f) => f.meta.records)).toEqual([2]);
  });

  it('keeps WAL entries whose rows were not persisted, and drops them after an empty cycle', async () => {
    dir = await makeTempDir('persist-loop');
    const config = loadConfig({ ZO_DATA_DIR: `${dir.path}/` });
    const health = new StoreHealth(() => 5_000);
    const loop = await open(config, new Memtables(() => 5_000), health);
    await loop.wal.append(new TextEncoder().encode('request 1'));
    await loop.wal.close();

    // A restart before any cycle replays the entry (its rows were only in memory).
    const restarted = await open(config, new Memtables(() => 5_000), health);
    expect(await replayed(restarted.wal)).toBe(1);
    // A cycle with nothing in memtables still drops the rotated segment.
    expect(await restarted.cycle()).toEqual({ pending: 0 });
    expect(restarted.localFiles.list()).toEqual([]);
    await restarted.wal.close();
    const last = await open(config, new Memtables(() => 5_000), health);
    expect(await replayed(last.wal)).toBe(0);
  });

  /** 300 rows of one stream-hour, timestamps shuffled, every 7th message null. */
  function fill(memtables: Memtables): void {
    for (let i = 0; i < 300; i++) {
      const ts = hour + ((i * 37) % 300);
      const msg = ts % 7 === 0 ? null : `message ${ts} ${'x'.repeat(ts % 13)}`;
      memtables.append(
        web,
        schema,
        [msg === null ? { _timestamp: ts } : { _timestamp: ts, msg }],
        [ts],
      );
    }
  }

  it('encodes a table past sliceBytes as several files of disjoint time ranges holding every row once', async () => {
    dir = await makeTempDir('persist-loop');
    // Slices are cut at whole row groups: small groups so that 300 rows make several files.
    const config = loadConfig({ ZO_DATA_DIR: `${dir.path}/`, ZO_PARQUET_MAX_ROW_GROUP_SIZE: '20' });
    const memtables = new Memtables(() => 5_000);
    const loop = await open(config, memtables, new StoreHealth(() => 5_000), { sliceBytes: 2_000 });
    fill(memtables);
    expect(await loop.cycle()).toEqual({ pending: 0 });

    const files = loop.localFiles.list().sort((a, b) => b.meta.maxTs - a.meta.maxTs);
    expect(files.length).toBeGreaterThan(2);
    const rows: Array<[number, string | null]> = [];
    for (const file of files) {
      const table = await readParquet(new Uint8Array(await readFile(file.path)));
      const ts = [...table.getChild('_timestamp')!].map(Number);
      const msg = [...table.getChild('msg')!] as Array<string | null>;
      expect(ts).toHaveLength(file.meta.records);
      expect(Math.max(...ts)).toBe(file.meta.maxTs);
      expect(Math.min(...ts)).toBe(file.meta.minTs);
      ts.forEach((t, i) => rows.push([t, msg[i] ?? null]));
    }
    // Sorted desc across files too: each file's range lies below the previous one's.
    expect(rows.map(([t]) => t)).toEqual([...Array(300).keys()].map((i) => hour + 299 - i));
    for (const [ts, msg] of rows)
      expect(msg).toBe(ts % 7 === 0 ? null : `message ${ts} ${'x'.repeat(ts % 13)}`);
    // file_list's original_size: each file its share, not the whole table's bytes once per file.
    const sizes = files.map((f) => f.meta.originalSize);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(2_000 * 1.5);
    expect(sizes.reduce((a, b) => a + b, 0)).toBeGreaterThan(2_000 * (files.length - 1));
  });

  it('keeps a table whose second slice fails as one pending table, with none of its files committed', async () => {
    dir = await makeTempDir('persist-loop');
    const config = loadConfig({ ZO_DATA_DIR: `${dir.path}/`, ZO_PARQUET_MAX_ROW_GROUP_SIZE: '20' });
    const memtables = new Memtables(() => 5_000);
    let calls = 0;
    let failing = true;
    const encode: PersistLoopOptions['encode'] = {
      encode: pool.encode,
      encodeGroups: (groups, stats, options) => {
        calls++;
        if (failing && calls === 2) return Promise.reject(new Error('disk full'));
        return pool.encodeGroups(groups, stats, options);
      },
    };
    const loop = await open(config, memtables, new StoreHealth(() => 5_000), {
      sliceBytes: 2_000,
      encode,
    });
    fill(memtables);
    const outcome = await loop.cycle();
    expect(outcome.pending).toBe(1);
    expect(loop.localFiles.list()).toEqual([]);
    expect(loop.persister.pendingMetas().map((m) => m.rows)).toEqual([300]);
    expect(loop.wal.segments().filter((s) => !s.active)).toEqual([]);

    failing = false;
    expect(await loop.cycle(true)).toEqual({ pending: 0 });
    expect(loop.localFiles.list().map((f) => f.meta.records)).toEqual([300]);
  });
});
