import { grpcCallCounter, grpcMessageBytes, runRoleProcess } from '@o2/runtime';
import { createQuerier } from './app.js';
import { FileCache } from './file-cache.js';
import { FilePrefetcher } from './file-prefetcher.js';
import { ClusterFileSplit, ClusterHotData, querierGrpcServer } from './grpc/index.js';

// The querier process: answers the router's searches over gRPC, leading each one — its share of
// the stored files read here (file cache over the object store), the other shares by the live
// queriers that own them, hot rows from every live ingester — and prefetching the new files it
// owns into its disk cache as the ingesters announce them.
runRoleProcess({
  name: 'o2ts-querier',
  role: 'querier',
  env: process.env,
  cwd: process.cwd(),
  build: ({ config, logger, adapters, node, registry }) => {
    const maxMessageBytes = grpcMessageBytes(config);
    const hotData = new ClusterHotData({
      cluster: adapters.cluster,
      metaStore: adapters.metaStore,
      token: config.ZO_INTERNAL_GRPC_TOKEN,
      logger,
      maxMessageBytes,
      timeoutMs: config.ZO_QUERY_TIMEOUT * 1000,
      nodeTtlMs: config.ZO_NODE_HEARTBEAT_TTL * 1000,
    });
    const fileSplit = new ClusterFileSplit({
      cluster: adapters.cluster,
      self: node,
      token: config.ZO_INTERNAL_GRPC_TOKEN,
      logger,
      maxMessageBytes,
      timeoutMs: config.ZO_QUERY_TIMEOUT * 1000,
      nodeTtlMs: config.ZO_NODE_HEARTBEAT_TTL * 1000,
    });
    const fileCache = FileCache.fromConfig(config, adapters.objectStore);
    const querier = createQuerier({
      config,
      logger,
      metaStore: adapters.metaStore,
      objectStore: adapters.objectStore,
      hotData,
      fileSplit,
      fileCache,
      registry,
    });
    const prefetcher = new FilePrefetcher({
      cluster: adapters.cluster,
      self: node,
      fileCache,
      logger,
    });
    return [
      {
        name: 'peer-clients',
        start: () => Promise.resolve(),
        stop: () => {
          hotData.close();
          fileSplit.close();
          return Promise.resolve();
        },
      },
      querier,
      prefetcher,
      querierGrpcServer({
        ...{ config, logger, querier, node, maxMessageBytes },
        onCall: grpcCallCounter(registry),
      }),
    ];
  },
});
