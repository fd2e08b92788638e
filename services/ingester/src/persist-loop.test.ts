import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '@o2/config';
import type { Config } from '@o2/config';
import { ParquetEncoderPool } from '@o2/parquet';
import type { Schema } from '@o2/schema';
import { makeTempDir } from '@o2/testing';
import type { TempDir } from '@o2/testing';
import type { Wal } from '@o2/wal';
import { HOUR_MICROS, Memtables } from './memtable/memtables.js';
import { PersistLoop } from './persist-loop.js';
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

  async function open(config: Config, memtables: Memtables, health: StoreHealth) {
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
      encode: (t) => pool.encode(t),
      maxAttempts: 3,
      maxBackoffMs: 1_000,
      now: () => 5_000,
      logger: silentLogger,
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
});
