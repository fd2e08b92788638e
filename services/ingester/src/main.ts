import { grpcCallCounter, grpcMessageBytes, runRoleProcess } from '@o2/runtime';
import { createIngester } from './app.js';
import { ingesterGrpcServer } from './grpc/index.js';

// The ingester process: the role, then its gRPC server (ingest from routers, hot data for
// queriers, flush). Parts stop in reverse, so the server drains before the ingester flushes.
runRoleProcess({
  name: 'o2ts-ingester',
  role: 'ingester',
  env: process.env,
  cwd: process.cwd(),
  build: ({ config, logger, adapters, node, registry, addReadinessSource }) => {
    const ingester = createIngester({
      config,
      logger,
      metaStore: adapters.metaStore,
      objectStore: adapters.objectStore,
      cluster: adapters.cluster,
      registry,
    });
    // A full WAL disk or a failing upload makes this ingester not ready, as on the router.
    addReadinessSource(() => ingester.degradedReasons());
    return [
      ingester,
      ingesterGrpcServer({
        config,
        logger,
        ingester,
        node,
        maxMessageBytes: grpcMessageBytes(config),
        onCall: grpcCallCounter(registry),
      }),
    ];
  },
});
