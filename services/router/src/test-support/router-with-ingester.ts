import { MemoryCluster } from '@o2/cluster';
import { createCompactor } from '@o2/compactor';
import type { Compactor } from '@o2/compactor';
import { createIngester } from '@o2/ingester';
import type { Ingester } from '@o2/ingester';
import { LocalObjectStore } from '@o2/storage';
import { startRouter } from './start-router.js';
import type { StartedRouter } from './start-router.js';

export interface RouterWithIngester {
  o2: StartedRouter;
  ingester: Ingester;
  /** The local object store the ingester uploads to (`ZO_DATA_STREAM_DIR`). */
  objects: LocalObjectStore;
  /** The in-process compactor (stream deletions, file purge), woken by the router's events. */
  compactor: Compactor;
}

/**
 * A router over a real in-process ingester, compactor and local object store in `dir`, as a
 * single node wires them. The persist and upload cycles are an hour apart unless `env` says otherwise, so
 * only `PUT /node/flush` moves data to storage.
 */
export async function startRouterWithIngester(
  dir: string,
  env: Record<string, string> = {},
): Promise<RouterWithIngester> {
  let parts: Omit<RouterWithIngester, 'o2'> | undefined;
  const o2 = await startRouter(dir, {
    env: { ZO_MEM_PERSIST_INTERVAL: '3600', ZO_FILE_PUSH_INTERVAL: '3600', ...env },
    wire: async ({ store, config, logger }) => {
      const objects = new LocalObjectStore(config.ZO_DATA_STREAM_DIR);
      const cluster = new MemoryCluster({ nodeTtlMs: 5_000 });
      const ingester = createIngester({
        config,
        logger,
        metaStore: store,
        objectStore: objects,
        cluster,
      });
      await ingester.start();
      const compactor = createCompactor({
        config,
        logger,
        cluster,
        metaStore: store,
        objectStore: objects,
        nodeId: 'compactor-1',
      });
      await compactor.start();
      parts = { ingester, objects, compactor };
      return {
        ingest: ingester,
        ingester,
        tail: ingester,
        objectStore: objects,
        events: cluster.events,
        stop: async () => {
          await compactor.stop();
          await ingester.stop();
          await cluster.close();
          await objects.close();
        },
      };
    },
  });
  if (parts === undefined) throw new Error('the router started without wiring its ingester');
  return { o2, ...parts };
}
