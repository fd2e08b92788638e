import { afterEach, describe, expect, it } from 'vitest';
import type { TailBatch } from '@o2/live-tail';
import { createIngester } from './app.js';
import type { Ingester } from './app.js';
import { ingesterWorld, silentLogger } from './test-support/ingester-fixture.js';
import type { IngesterWorld } from './test-support/ingester-fixture.js';

const ref = { org: 'default', type: 'logs' as const, stream: 'app' };
const body = (rows: object[]) => new TextEncoder().encode(JSON.stringify(rows));

/** Reads a tail in the background; `logs` are the rows' `log` values as they arrive. */
function follow(ingester: Ingester, filter: string) {
  const abort = new AbortController();
  const logs: string[] = [];
  const batches: TailBatch[] = [];
  const done = (async () => {
    for await (const batch of ingester.tail({ ...ref, filter }, abort.signal)) {
      batches.push(batch);
      for (const row of batch.rows) logs.push((JSON.parse(row) as { log: string }).log);
    }
  })();
  return { logs, batches, stop: async () => (abort.abort(), await done) };
}

describe('the ingester publishes acknowledged rows to live tails', () => {
  let world: IngesterWorld | undefined;
  afterEach(async () => {
    await world?.close();
    world = undefined;
  });

  it('delivers the stored rows of an acknowledged request that pass the filter', async () => {
    world = await ingesterWorld();
    const ingester = await world.boot();
    const tail = follow(ingester, "level = 'error'");
    await expect.poll(() => tail.batches.length).toBe(1); // subscribed
    const result = await ingester.ingest({
      ...{ org: 'default', stream: 'app', streamType: 'logs', format: 'json' },
      body: body([
        { log: 'kept', level: 'error', code: 500 },
        { log: 'filtered', level: 'info' },
        { log: 'bad _timestamp', level: 'error', _timestamp: 'not a time' },
      ]),
    });
    expect(result).toMatchObject({ response: { status: [{ successful: 2, failed: 1 }] } });
    // Only stored rows (not the one that failed) and only those the filter passes.
    await expect.poll(() => tail.logs).toEqual(['kept']);
    const [row] = tail.batches.at(-1)?.rows ?? [];
    expect(JSON.parse(row ?? '{}')).toMatchObject({ log: 'kept', code: 500 });
    await tail.stop();
    await ingester.stop();
  });

  it('publishes nothing when the WAL is replayed at start (those rows were acknowledged before)', async () => {
    world = await ingesterWorld();
    const first = await world.boot();
    await first.ingest({
      ...{ org: 'default', stream: 'app', streamType: 'logs', format: 'json' },
      body: body([{ log: 'before the crash' }]),
    });
    // The first process "dies" without stopping: its WAL still holds the row. The next one is
    // tailed before it starts, so its replay would reach the tail if it published.
    const { config, metaStore, objectStore, cluster } = world;
    const second = createIngester({
      config,
      logger: silentLogger,
      metaStore,
      objectStore,
      cluster,
    });
    const tail = follow(second, '');
    await expect.poll(() => tail.batches.length).toBe(1);
    await second.start();
    await second.ingest({
      ...{ org: 'default', stream: 'app', streamType: 'logs', format: 'json' },
      body: body([{ log: 'after the restart' }]),
    });
    await expect.poll(() => tail.logs).toEqual(['after the restart']);
    await tail.stop();
    await second.stop();
  });
});
