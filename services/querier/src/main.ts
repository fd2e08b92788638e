import { grpcMessageBytes, runRoleProcess } from '@o2/runtime';
import { createQuerier } from './app.js';
import { ClusterHotData, querierGrpcServer } from './grpc/index.js';

// The querier process: answers the router's searches over gRPC, reading stored files itself
// (file cache over the object store) and hot rows from every live ingester.
runRoleProcess({
  name: 'o2ts-querier',
  role: 'querier',
  env: process.env,
  cwd: process.cwd(),
  build: ({ config, logger, adapters, node }) => {
    const maxMessageBytes = grpcMessageBytes(config);
    const hotData = new ClusterHotData({
      cluster: adapters.cluster,
      metaStore: adapters.metaStore,
      token: config.ZO_INTERNAL_GRPC_TOKEN,
      logger,
      maxMessageBytes,
      timeoutMs: config.ZO_QUERY_TIMEOUT * 1000,
    });
    const querier = createQuerier({
      config,
      logger,
      metaStore: adapters.metaStore,
      objectStore: adapters.objectStore,
      hotData,
    });
    return [
      {
        name: 'ingester-clients',
        start: () => Promise.resolve(),
        stop: () => Promise.resolve(hotData.close()),
      },
      querier,
      querierGrpcServer({ config, logger, querier, node, maxMessageBytes }),
    ];
  },
});
