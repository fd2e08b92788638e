import { createAlertmanager } from '@o2/alertmanager';
import { createCompactor } from '@o2/compactor';
import { EnrichmentCache, EnrichmentStore, enrichmentFunctions } from '@o2/enrichment';
import { createIngester } from '@o2/ingester';
import { createQuerier } from '@o2/querier';
import {
  bootstrapRoot,
  createMetricsRegistry,
  createOtlpGrpcServer,
  createRouter,
  routerServer,
} from '@o2/router';
import { runRoleProcess } from '@o2/runtime';

// Single node: every role in one process over the embedded adapters (SQLite, local disk,
// in-process cluster) unless the settings choose others. The HTTP and OTLP/gRPC servers start
// last and stop first.
runRoleProcess({
  name: 'o2ts',
  role: 'all',
  env: process.env,
  cwd: process.cwd(),
  build: async ({ config, logger, adapters, node }) => {
    await bootstrapRoot({ metaStore: adapters.metaStore, config, logger });
    const { cluster, metaStore, objectStore } = adapters;
    // One registry, so the ingester's counters are on the router's /metrics.
    const registry = createMetricsRegistry();
    const ingester = createIngester({ config, logger, metaStore, objectStore, cluster, registry });
    // The querier reads hot rows straight from the in-process ingester.
    const querier = createQuerier({
      ...{ config, logger, metaStore, objectStore, registry },
      hotData: ingester,
    });
    // Scheduled pipelines' VRL may look rows up in the org's enrichment tables.
    const enrichment = new EnrichmentCache(new EnrichmentStore({ metaStore, objectStore }));
    const router = createRouter({
      config,
      logger,
      metaStore,
      objectStore,
      // The in-process compactor hears stream deletions at once, not on its next interval.
      events: cluster.events,
      ingest: ingester,
      ingester,
      search: querier,
      promql: querier.promql,
      // Live tail reads the in-process ingester's acknowledged rows.
      tail: ingester,
      nodes: cluster.nodes,
      registry,
    });
    return [
      ingester,
      querier,
      createCompactor({
        ...{ config, logger, cluster, metaStore, objectStore, registry },
        nodeId: node.id,
        // Every stored-file reader is this process's querier: purge once no query needs a file.
        storedFileReads: querier.storedFileReads,
      }),
      // Alerts are evaluated by the in-process querier; scheduled pipelines query it too and
      // store their output through the in-process ingester (WAL-acknowledged like any ingest).
      createAlertmanager({
        ...{ config, logger, cluster, metaStore, registry },
        search: querier,
        promql: querier.promql,
        ingest: ingester,
        vrlFunctions: async (org) => enrichmentFunctions(await enrichment.tables(org)),
        nodeId: node.id,
      }),
      // OTLP/gRPC on ZO_GRPC_PORT (the single node has no other gRPC service).
      createOtlpGrpcServer({ config, logger, metaStore, ingest: ingester }),
      routerServer(router, config, logger),
    ];
  },
});
