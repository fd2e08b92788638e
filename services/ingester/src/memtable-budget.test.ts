import { afterEach, describe, expect, it } from 'vitest';
import { Registry } from 'prom-client';
import { createIngester } from './app.js';
import type { Ingester } from './app.js';
import { ingesterWorld, k8slogBody, silentLogger } from './test-support/ingester-fixture.js';
import type { IngesterWorld } from './test-support/ingester-fixture.js';

const MB = 1024 * 1024;
const CLIENTS = 4;
const REQUESTS = 12;

describe('the memtable budget (ZO_MEM_TABLE_BUDGET)', () => {
  let world: IngesterWorld | undefined;
  let ingester: Ingester | undefined;
  afterEach(async () => {
    await ingester?.stop();
    ingester = undefined;
    await world?.close();
    world = undefined;
  });

  it('keeps the memtables within budget + the requests in flight while ingest outruns persist, losing nothing', async () => {
    // Only early persists run (the interval is an hour): without the budget the memtables
    // would hold all 48 requests' rows (~20 MB) by the end.
    world = await ingesterWorld({ ZO_MEM_TABLE_BUDGET: '1' });
    const registry = new Registry();
    const { config, metaStore, objectStore, cluster } = world;
    ingester = createIngester({
      config,
      logger: silentLogger,
      metaStore,
      objectStore,
      cluster,
      registry,
    });
    await ingester.start();
    const held = async (): Promise<number> => {
      const gauge = registry.getSingleMetric('zo_ingester_memtable_bytes');
      return Number((await gauge!.get()).values[0]?.value ?? 0);
    };
    const request = { org: 'default', stream: 'k8s', streamType: 'logs', format: 'json' } as const;
    const send = async (): Promise<number> => {
      const result = await ingester!.ingest({ ...request, body: k8slogBody() });
      return result.response?.status?.[0]?.successful ?? 0;
    };

    let acknowledged = await send();
    const oneRequest = await held();
    expect(oneRequest).toBeGreaterThan(0.1 * MB); // the budget is a few requests, not hundreds
    expect(oneRequest).toBeLessThan(MB);

    let peak = 0;
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        peak = Math.max(peak, await held());
        await new Promise((r) => setImmediate(r));
      }
    })();
    const clients = Array.from({ length: CLIENTS }, async () => {
      let rows = 0;
      for (let i = 0; i < REQUESTS; i++) rows += await send();
      return rows;
    });
    for (const rows of await Promise.all(clients)) acknowledged += rows;
    sampling = false;
    await sampler;

    expect(acknowledged).toBe(981 * (1 + CLIENTS * REQUESTS));
    expect(peak).toBeGreaterThan(MB / 2); // the budget was reached...
    expect(peak).toBeLessThanOrEqual(MB + CLIENTS * oneRequest); // ...and held
    // Every acknowledged row is in the memtables or in a local file committed by a persist.
    const hot = await ingester.hotStats('default');
    expect(hot.reduce((sum, s) => sum + s.records, 0)).toBe(acknowledged);
  });
});
