import { MemoryCluster } from '@o2/cluster';
import { createIngester } from '@o2/ingester';
import type { Ingester } from '@o2/ingester';
import { createQuerier } from '@o2/querier';
import { LocalObjectStore } from '@o2/storage';
import { metricBodies } from './metric-samples.js';
import type { SampleSeries } from './metric-samples.js';
import { startRouter } from './start-router.js';
import type { StartedRouter } from './start-router.js';

export interface MetricsNode {
  o2: StartedRouter;
  ingester: Ingester;
}

/**
 * A single node as `services/standalone` wires it for metrics: router, real ingester and real
 * querier (its search path and PromQL side) over one store in `dir`. With `ingester`, only a
 * router and querier are started over that ingester's hot data (a second node view of the same
 * data, e.g. with other limits; its temp dir must differ). Persist and upload wait for
 * `PUT /node/flush`.
 */
export async function startMetricsNode(
  dir: string,
  env: Record<string, string> = {},
  shared?: Ingester,
): Promise<MetricsNode> {
  let ingester = shared;
  const o2 = await startRouter(dir, {
    env: { ZO_MEM_PERSIST_INTERVAL: '3600', ZO_FILE_PUSH_INTERVAL: '3600', ...env },
    wire: async ({ store, config, logger }) => {
      const objects = new LocalObjectStore(config.ZO_DATA_STREAM_DIR);
      const cluster = shared === undefined ? new MemoryCluster({ nodeTtlMs: 5_000 }) : undefined;
      const own =
        cluster === undefined
          ? undefined
          : createIngester({ config, logger, metaStore: store, objectStore: objects, cluster });
      ingester ??= own;
      const querier = createQuerier({
        config,
        logger,
        metaStore: store,
        objectStore: objects,
        ...(ingester === undefined ? {} : { hotData: ingester }),
      });
      await own?.start();
      await querier.start();
      return {
        ...(own === undefined ? {} : { ingest: own, ingester: own }),
        objectStore: objects,
        search: querier,
        promql: querier.promql,
        stop: async () => {
          await querier.stop();
          await own?.stop();
          await cluster?.close();
          await objects.close();
        },
      };
    },
  });
  if (ingester === undefined) throw new Error('the node started without an ingester');
  return { o2, ingester };
}

/** Writes the series as metric rows through the ingester's own API (format json). */
export async function ingestSeries(
  ingester: Ingester,
  org: string,
  series: readonly SampleSeries[],
): Promise<void> {
  for (const [stream, body] of metricBodies(series)) {
    const result = await ingester.ingest({
      org,
      stream,
      streamType: 'metrics',
      format: 'json',
      body,
    });
    const failed = result.response?.status.reduce((n, s) => n + s.failed, 0) ?? 0;
    if (failed > 0) throw new Error(`${failed} metric rows of ${stream} were refused`);
  }
}
