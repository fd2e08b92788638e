import type { NodeInfo } from '@o2/cluster';
import type { Config } from '@o2/config';
import { AppError } from '@o2/errors';
import { createGrpcServer } from '@o2/grpc';
import type { GrpcServer } from '@o2/grpc';
import type { Logger } from '@o2/logger';
import { IngestService, NodeService, SearchService } from '@o2/proto';
import type { Ingester } from '../app.js';
import { hotDataHandler } from './hot-data-handler.js';
import { ingestHandler } from './ingest-handler.js';

export interface IngesterGrpcServerDeps {
  config: Config;
  logger: Logger;
  ingester: Ingester;
  node: NodeInfo;
  /** Largest message in bytes; must exceed ZO_PAYLOAD_LIMIT since ingest bodies travel whole. */
  maxMessageBytes: number;
  version?: string;
}

const notHere = (rpc: string) =>
  Promise.reject(
    new AppError('FAILED_PRECONDITION', `${rpc} is served by queriers, not ingesters`),
  );

/**
 * The ingester's gRPC face on ZO_GRPC_PORT: `IngestService` (router → ingester),
 * `SearchService.HotData` (querier → ingester) and `NodeService`. Calls need
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
  });
  server.add(IngestService, ingestHandler(ingester));
  server.add(SearchService, {
    query: () => notHere('Query'),
    values: () => notHere('Values'),
    around: () => notHere('Around'),
    partition: () => notHere('Partition'),
    // eslint-disable-next-line require-yield -- refuses before the first message
    search: async function* () {
      await notHere('Search');
    },
    ...hotDataHandler(ingester, config.ZO_INSTANCE_NAME),
  });
  server.add(NodeService, {
    info: () =>
      Promise.resolve({
        name: node.name,
        roles: [...node.roles],
        version: deps.version ?? '',
        httpAddr: node.httpAddr,
        grpcAddr: node.grpcAddr,
        startedAt: BigInt(node.startedAt),
      }),
    flush: async () => {
      await ingester.flush();
      return {};
    },
    hotStats: async (request) => ({
      streams: (await ingester.hotStats(request.org)).map((s) => ({
        streamType: s.type,
        stream: s.stream,
        records: BigInt(s.records),
        bytes: BigInt(Math.round(s.bytes)),
        minTs: BigInt(Number.isFinite(s.minTs) ? s.minTs : 0),
        maxTs: BigInt(Number.isFinite(s.maxTs) ? s.maxTs : 0),
      })),
    }),
    quarantine: async () => ({
      entries: (await ingester.quarantine()).map((e) => ({
        org: e.org,
        streamType: e.streamType,
        stream: e.stream,
        partition: e.partition,
        stage: e.stage,
        rows: BigInt(e.rows),
        bytes: BigInt(e.bytes),
        error: e.error,
        attempts: BigInt(e.attempts),
        firstFailedAt: BigInt(e.firstFailedAt),
        quarantinedAt: BigInt(e.quarantinedAt),
        path: e.path,
      })),
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
  return server;
}
