import type { Config } from '@o2/config';
import type { Cluster } from '@o2/cluster';
import { createCluster } from '@o2/cluster';
import type { Lifecycle } from '@o2/lifecycle';
import type { Logger } from '@o2/logger';
import { createMetaStore } from '@o2/metastore';
import type { MetaStore } from '@o2/metastore';
import { createObjectStore } from '@o2/storage';
import type { ObjectStore } from '@o2/storage';

export interface Adapters {
  metaStore: MetaStore;
  objectStore: ObjectStore;
  cluster: Cluster;
  /** Closes the adapters; list it first so it stops last. */
  lifecycle: Lifecycle;
}

/**
 * Opens the three stores the config asks for (SQLite/Postgres, disk/S3, memory/NATS) and
 * migrates the metastore, so a process refuses to start on a database newer than its code
 * before it serves anything. On a failure, whatever was opened is closed again.
 */
export async function openAdapters(config: Config, logger: Logger): Promise<Adapters> {
  const opened: Array<{ close(): Promise<void> }> = [];
  try {
    const metaStore = await createMetaStore(config);
    opened.push(metaStore);
    const migration = await metaStore.migrate();
    logger.info({ store: config.ZO_META_STORE, ...migration }, 'metastore ready');
    const objectStore = await createObjectStore(config);
    opened.push(objectStore);
    const cluster = await createCluster(config, { logger: logger.child({ module: 'cluster' }) });
    opened.push(cluster);
    logger.info(
      { objectStorage: config.objectStorage, coordinator: config.ZO_QUEUE_STORE },
      'adapters ready',
    );
    return {
      metaStore,
      objectStore,
      cluster,
      lifecycle: {
        name: 'adapters',
        start: () => Promise.resolve(),
        stop: async () => {
          await cluster.close();
          await objectStore.close();
          await metaStore.close();
        },
      },
    };
  } catch (error) {
    for (const store of opened.reverse()) await store.close().catch(() => undefined);
    throw error;
  }
}
