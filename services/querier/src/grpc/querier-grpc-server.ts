import type { NodeInfo } from '@o2/cluster';
import type { Config } from '@o2/config';
import { createGrpcServer } from '@o2/grpc';
import type { GrpcServer } from '@o2/grpc';
import type { Logger } from '@o2/logger';
import {
  NodeService,
  PromqlService,
  QueryService,
  ScanService,
  arrowChunks,
  decodeAroundRequest,
  decodeQueryRequest,
  decodeScanRequest,
  decodeValuesRequest,
  encodeNodeInfo,
  encodeResponseBody,
  encodeScanStats,
} from '@o2/proto';
import { AppError } from '@o2/errors';
import { withStageClock } from '@o2/search';
import type { Querier } from '../app.js';
import { storedEntryOf } from './stored-entry-of.js';
import { promqlServiceImpl } from './promql-grpc.js';

export interface QuerierGrpcServerDeps {
  config: Config;
  logger: Logger;
  querier: Querier;
  node: NodeInfo;
  maxMessageBytes: number;
  version?: string;
  /** Told of every finished call, for `zo_grpc_calls_total`. */
  onCall?: (method: string, code: string) => void;
}

/**
 * The querier's gRPC face on ZO_GRPC_PORT: `QueryService` (the router's searches, O2 bodies as
 * JSON, each led by the querier that receives it); `PromqlService` (the router's Prometheus API
 * calls, led the same way); `ScanService` (a leader's `Search`: its partial SQL over the stored
 * files this querier owns, in the range, answered as Parquet; the leader merges); and
 * `NodeService`. `HotDataService` is the ingesters'.
 */
export function querierGrpcServer(deps: QuerierGrpcServerDeps): GrpcServer {
  const { config, querier, node } = deps;
  const logger = deps.logger.child({ module: 'querier-grpc' });
  const server = createGrpcServer({
    port: config.ZO_GRPC_PORT,
    host: config.ZO_GRPC_ADDR,
    token: config.ZO_INTERNAL_GRPC_TOKEN,
    logger,
    maxMessageBytes: deps.maxMessageBytes,
    ...(deps.onCall === undefined ? {} : { onCall: deps.onCall }),
  });
  server.add(QueryService, {
    query: async (request) => {
      const started = performance.now();
      const { org, type, query } = decodeQueryRequest(request);
      const body = await querier.search(org, type, query);
      const searched = performance.now();
      const encoded = encodeResponseBody(body);
      // The hop's share on this side (the bench subtracts it from the router's call time).
      const ms = (a: number, b: number) => Math.round((b - a) * 100) / 100;
      logger.debug(
        {
          stages: {
            serve: ms(started, performance.now()),
            serve_encode: ms(searched, performance.now()),
          },
        },
        'served',
      );
      return encoded;
    },
    values: async (request) => {
      const { org, type, stream, query } = decodeValuesRequest(request);
      return encodeResponseBody(await querier.values(org, type, stream, query));
    },
    around: async (request) => {
      const { org, type, stream, query } = decodeAroundRequest(request);
      return encodeResponseBody(await querier.around(org, type, stream, query));
    },
    partition: async (request) => {
      const { org, type, query } = decodeQueryRequest(request);
      return encodeResponseBody(await querier.partition(org, type, query));
    },
  });
  server.add(ScanService, {
    search: async function* (request) {
      const started = Date.now();
      const call = decodeScanRequest(request);
      const files = call.files.map(storedEntryOf);
      const streams = new Set(files.map((f) => f.stream));
      const [stream] = streams;
      if (stream === undefined || streams.size > 1)
        throw new AppError('INVALID_ARGUMENT', 'a scan reads the files of exactly one stream');
      // The leader's partial SQL, re-checked and bound to this querier's own view of the files.
      const { value, stages } = await withStageClock(() =>
        querier.partial({
          org: call.org,
          type: call.type,
          stream,
          sql: call.sql,
          range: call.range,
          files,
          ...(call.stream === undefined ? {} : { bound: call.stream }),
          ...(call.rowRanges === undefined ? {} : { rowRanges: call.rowRanges }),
        }),
      );
      const { records } = value;
      // `stages` plus the call's whole time here: what the leader waits for beyond it is transport.
      const tookMs = Date.now() - started;
      logger.debug({ stream, files: files.length, records, stages, tookMs }, 'scan');
      if ('rows' in value) yield { partialRows: Buffer.from(JSON.stringify(value.rows)) };
      else for (const chunk of arrowChunks(value.parquet)) yield { parquet: chunk };
      yield {
        stats: encodeScanStats({
          node: node.name,
          files: files.length,
          records,
          originalSize: files.reduce((sum, f) => sum + f.originalSize, 0),
          compressedSize: files.reduce((sum, f) => sum + f.compressedSize, 0),
          tookMs: Date.now() - started,
          prunedFiles: 0,
        }),
      };
    },
  });
  server.add(PromqlService, promqlServiceImpl(querier.promql));
  server.add(NodeService, {
    info: () => Promise.resolve(encodeNodeInfo({ ...node, version: deps.version ?? '' })),
    // A querier holds nothing to flush and no hot rows.
    flush: () => Promise.resolve({}),
    hotStats: () => Promise.resolve({ streams: [] }),
    quarantine: () => Promise.resolve({ entries: [] }),
    health: () =>
      Promise.resolve({ ready: true, checks: [{ name: 'querier', ok: true, message: '' }] }),
  });
  return server;
}
