import { coordinationProbe, grpcCallCounter, grpcMessageBytes, runRoleProcess } from '@o2/runtime';
import { bootstrapRoot } from './bootstrap-root.js';
import { createRouter } from './app.js';
import {
  PeerClients,
  clusterIngest,
  clusterPromql,
  clusterSearch,
  clusterTail,
} from './cluster/index.js';
import { createOtlpGrpcServer } from './grpc/otlp-grpc-server.js';
import { routerServer } from './router-server.js';

/** One ingest call on one ingester, its resends included; a body is decoded and WAL-written. */
const INGEST_TIMEOUT_MS = 60_000;

// The router process: the public HTTP API, sending ingest to live ingesters and searches to a
// live querier over gRPC (PromQL too); peers are found in the cluster's node registry.
runRoleProcess({
  name: 'o2ts-router',
  role: 'router',
  env: process.env,
  cwd: process.cwd(),
  build: async ({ config, logger, adapters }) => {
    await bootstrapRoot({ metaStore: adapters.metaStore, config, logger });
    const peers = new PeerClients({
      cluster: adapters.cluster,
      token: config.ZO_INTERNAL_GRPC_TOKEN,
      logger,
      maxMessageBytes: grpcMessageBytes(config),
    });
    const ingest = clusterIngest({ peers, logger, timeoutMs: INGEST_TIMEOUT_MS });
    // The querier's own timeout ends the query first; the margin leaves it time to answer.
    const queryTimeoutMs = config.ZO_QUERY_TIMEOUT * 1000 + 5_000;
    const router = createRouter({
      config,
      logger,
      metaStore: adapters.metaStore,
      objectStore: adapters.objectStore,
      // A stream deletion wakes the compactor leader through NATS.
      events: adapters.cluster.events,
      ingest,
      ingester: ingest,
      search: clusterSearch({ peers, logger, timeoutMs: queryTimeoutMs }),
      promql: clusterPromql({ peers, logger, timeoutMs: queryTimeoutMs }),
      readiness: { probes: [coordinationProbe(adapters.cluster)] },
      // Live tail merges a TailService stream from every live ingester.
      tail: clusterTail({ peers, logger }),
      nodes: adapters.cluster.nodes,
    });
    return [
      {
        name: 'peer-clients',
        start: () => Promise.resolve(),
        stop: () => Promise.resolve(peers.close()),
      },
      // OTLP/gRPC for collectors and SDKs on the router's ZO_GRPC_PORT.
      createOtlpGrpcServer({
        ...{ config, logger, metaStore: adapters.metaStore, ingest },
        onCall: grpcCallCounter(router.registry),
      }),
      routerServer(router, config, logger),
    ];
  },
});
