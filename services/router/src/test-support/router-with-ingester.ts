import { MemoryCluster } from '@o2/cluster';
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
}

/**
 * A router over a real in-process ingester and a local object store in `dir`, as a single node
 * wires them. The persist and upload cycles are an hour apart unless `env` says otherwise, so
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
      parts = { ingester, objects };
      return {
        ingest: ingester,
        ingester,
        objectStore: objects,
        stop: async () => {
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
