import type { NodeInfo } from '@o2/cluster';
import type { Config } from '@o2/config';
import { createGrpcServer } from '@o2/grpc';
import type { GrpcServer } from '@o2/grpc';
import type { Logger } from '@o2/logger';
import {
  HotDataService,
  IngestService,
  NodeService,
  TailService,
  encodeHotStreamStats,
  encodeNodeInfo,
  encodeQuarantinedPartition,
} from '@o2/proto';
import type { Ingester } from '../app.js';
import { hotDataHandler } from './hot-data-handler.js';
import { ingestHandler } from './ingest-handler.js';
import { tailHandler } from './tail-handler.js';

export interface IngesterGrpcServerDeps {
  config: Config;
  logger: Logger;
  ingester: Ingester;
  node: NodeInfo;
  /** Largest message in bytes; must exceed ZO_PAYLOAD_LIMIT since ingest bodies travel whole. */
  maxMessageBytes: number;
  version?: string;
  /** Told of every finished call, for `zo_grpc_calls_total`. */
  onCall?: (method: string, code: string) => void;
}

/**
 * The ingester's gRPC face on ZO_GRPC_PORT: `IngestService` (router → ingester),
 * `HotDataService` (leader querier → ingester), `TailService` (router → ingester, live tail) and
 * `NodeService`. Calls need
 * ZO_INTERNAL_GRPC_TOKEN when it is set.
 */
export function ingesterGrpcServer(deps: IngesterGrpcServerDeps): GrpcServer {
  const { config, ingester, node } = deps;
  const server = createGrpcServer({
    port: config.ZO_GRPC_PORT,
    host: config.ZO_GRPC_ADDR,
    token: config.ZO_INTERNAL_GRPC_TOKEN,
    logger: deps.logger.child({ module: 'ingester-grpc' }),
    maxMessageBytes: deps.maxMessageBytes,
    ...(deps.onCall === undefined ? {} : { onCall: deps.onCall }),
  });
  server.add(IngestService, ingestHandler(ingester));
  server.add(HotDataService, hotDataHandler(ingester, config.ZO_INSTANCE_NAME));
  // Live tails never end by themselves: stopping ends them first, so the graceful stop does not
  // wait its whole grace period for them (the routers resubscribe to the ingesters left).
  const closing = new AbortController();
  server.add(TailService, tailHandler(ingester, closing.signal));
  server.add(NodeService, {
    info: () => Promise.resolve(encodeNodeInfo({ ...node, version: deps.version ?? '' })),
    flush: async () => {
      await ingester.flush();
      return {};
    },
    hotStats: async (request) => ({
      streams: (await ingester.hotStats(request.org)).map(encodeHotStreamStats),
    }),
    quarantine: async () => ({
      entries: (await ingester.quarantine()).map(encodeQuarantinedPartition),
    }),
    // Still ready while a store is down (ingest goes on into the WAL); the check says why
    // uploads are piling up.
    health: async () => {
      const reasons = await ingester.degradedReasons();
      return {
        ready: true,
        checks: [{ name: 'ingester', ok: reasons.length === 0, message: reasons.join('; ') }],
      };
    },
  });
  const stop = server.stop.bind(server);
  server.stop = async () => {
    closing.abort();
    await stop();
  };
  return server;
}
