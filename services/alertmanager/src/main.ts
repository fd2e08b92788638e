import { EnrichmentCache, EnrichmentStore, enrichmentFunctions } from '@o2/enrichment';
import { clusterIngest, clusterPromql, clusterSearch, PeerClients } from '@o2/querier-client';
import { grpcMessageBytes, runRoleProcess } from '@o2/runtime';
import { createAlertmanager } from './app.js';

// The alertmanager process: the lease holder schedules alerts and evaluates them on a live
// querier over gRPC (the querier's own clients, as the router uses them). Scheduled pipelines
// query the same way and store their output on the live ingesters over gRPC, as the router does.
/** One ingest call of a scheduled pipeline's output, retries included. */
const INGEST_TIMEOUT_MS = 30_000;

runRoleProcess({
  name: 'o2ts-alertmanager',
  role: 'alertmanager',
  env: process.env,
  cwd: process.cwd(),
  build: ({ config, logger, adapters, node, registry }) => {
    const peers = new PeerClients({
      cluster: adapters.cluster,
      token: config.ZO_INTERNAL_GRPC_TOKEN,
      logger,
      maxMessageBytes: grpcMessageBytes(config),
    });
    // The querier's own timeout ends the query first; the margin leaves it time to answer.
    const timeoutMs = config.ZO_QUERY_TIMEOUT * 1000 + 5_000;
    const enrichment = new EnrichmentCache(
      new EnrichmentStore({ metaStore: adapters.metaStore, objectStore: adapters.objectStore }),
    );
    return [
      {
        name: 'peer-clients',
        start: () => Promise.resolve(),
        stop: () => Promise.resolve(peers.close()),
      },
      createAlertmanager({
        ...{ config, logger, cluster: adapters.cluster, metaStore: adapters.metaStore, registry },
        search: clusterSearch({ peers, logger, timeoutMs }),
        promql: clusterPromql({ peers, logger, timeoutMs }),
        ingest: clusterIngest({ peers, logger, timeoutMs: INGEST_TIMEOUT_MS }),
        vrlFunctions: async (org) => enrichmentFunctions(await enrichment.tables(org)),
        nodeId: node.id,
      }),
    ];
  },
});
