import type { NodeInfo } from '@o2/cluster';
import type { Config } from '@o2/config';
import type { AroundQuery, SearchQuery, SearchResponseBody, ValuesQuery } from '@o2/domain';
import { AppError } from '@o2/errors';
import { createGrpcServer } from '@o2/grpc';
import type { GrpcServer } from '@o2/grpc';
import type { Logger } from '@o2/logger';
import { NodeService, PromqlService, SearchService } from '@o2/proto';
import { tableToIPC } from 'apache-arrow';
import type {
  AroundQuery as WireAround,
  SearchQuery as WireQuery,
  ValuesQuery as WireValues,
} from '@o2/proto';
import type { Querier } from '../app.js';
import { promqlServiceImpl } from './promql-grpc.js';
import { storedEntryOf, streamKindOf } from './wire-types.js';

/** Well under any gRPC message limit, large enough that a chunk's overhead is nothing. */
const CHUNK_BYTES = 4 * 1024 * 1024;

export interface QuerierGrpcServerDeps {
  config: Config;
  logger: Logger;
  querier: Querier;
  node: NodeInfo;
  maxMessageBytes: number;
  version?: string;
}

const optionalNumber = <K extends string>(key: K, value: bigint | undefined) =>
  (value === undefined ? {} : { [key]: Number(value) }) as Partial<Record<K, number>>;

function searchQueryOf(query: WireQuery | undefined): SearchQuery {
  if (query === undefined) throw new AppError('INVALID_ARGUMENT', 'query is required');
  return {
    sql: query.sql,
    startTime: Number(query.startTime),
    endTime: Number(query.endTime),
    ...optionalNumber('from', query.from),
    ...optionalNumber('size', query.size),
    ...(query.trackTotalHits === undefined ? {} : { trackTotalHits: query.trackTotalHits }),
    ...(query.encoding === undefined ? {} : { encoding: query.encoding }),
  };
}

function valuesQueryOf(query: WireValues | undefined): ValuesQuery {
  if (query === undefined) throw new AppError('INVALID_ARGUMENT', 'query is required');
  return {
    fields: [...query.fields],
    startTime: Number(query.startTime),
    endTime: Number(query.endTime),
    ...optionalNumber('size', query.size),
    ...optionalNumber('from', query.from),
    ...(query.filter === undefined ? {} : { filter: query.filter }),
    ...(query.keyword === undefined ? {} : { keyword: query.keyword }),
    ...(query.noCount === undefined ? {} : { noCount: query.noCount }),
    ...(query.sql === undefined ? {} : { sql: query.sql }),
  };
}

function aroundQueryOf(query: WireAround | undefined): AroundQuery {
  if (query === undefined) throw new AppError('INVALID_ARGUMENT', 'query is required');
  const filters: Record<string, string | number | boolean> = {};
  for (const [name, value] of Object.entries(query.filters))
    if (value.kind.case !== undefined) filters[name] = value.kind.value;
  return {
    key: Number(query.key),
    size: Number(query.size),
    ...(query.sql === undefined ? {} : { sql: query.sql }),
    ...(Object.keys(filters).length === 0 ? {} : { filters }),
  };
}

const json = (body: SearchResponseBody) => ({
  bodyJson: new TextEncoder().encode(JSON.stringify(body)),
});

const notHere = (rpc: string) =>
  Promise.reject(new AppError('FAILED_PRECONDITION', `${rpc} is not served by this querier yet`));

/**
 * The querier's gRPC face on ZO_GRPC_PORT: the router's searches (`Query`, `Values`, `Around`,
 * `Partition`, O2 bodies as JSON) and Prometheus API calls (`PromqlService`) answered by the
 * querier, which leads each one; a leader's `Search` for the rows of the stored files this
 * querier owns (every column, in the range; the leader runs the SQL once over them); and
 * `NodeService`.
 */
export function querierGrpcServer(deps: QuerierGrpcServerDeps): GrpcServer {
  const { config, querier, node } = deps;
  const server = createGrpcServer({
    port: config.ZO_GRPC_PORT,
    host: config.ZO_GRPC_ADDR,
    token: config.ZO_INTERNAL_GRPC_TOKEN,
    logger: deps.logger.child({ module: 'querier-grpc' }),
    maxMessageBytes: deps.maxMessageBytes,
  });
  server.add(SearchService, {
    query: async (request) =>
      json(
        await querier.search(
          request.org,
          streamKindOf(request.streamType),
          searchQueryOf(request.query),
        ),
      ),
    values: async (request) =>
      json(
        await querier.values(
          request.org,
          streamKindOf(request.streamType),
          request.stream,
          valuesQueryOf(request.query),
        ),
      ),
    around: async (request) =>
      json(
        await querier.around(
          request.org,
          streamKindOf(request.streamType),
          request.stream,
          aroundQueryOf(request.query),
        ),
      ),
    partition: async (request) =>
      json(
        await querier.partition(
          request.org,
          streamKindOf(request.streamType),
          searchQueryOf(request.query),
        ),
      ),
    search: async function* (request) {
      const started = Date.now();
      const type = streamKindOf(request.streamType);
      const range = { startTs: Number(request.startTime), endTs: Number(request.endTime) };
      const files = request.files.map((f) => storedEntryOf({ org: request.org, type }, f));
      const rows = await querier.readStoredRows(files, range);
      // Each table is its own IPC stream: files differ in schema as the stream schema evolves.
      for (const table of rows.tables) {
        const bytes = tableToIPC(table, 'stream');
        for (let at = 0; at < bytes.byteLength; at += CHUNK_BYTES)
          yield { arrowIpc: bytes.subarray(at, Math.min(at + CHUNK_BYTES, bytes.byteLength)) };
      }
      yield {
        stats: {
          node: node.name,
          files: BigInt(files.length),
          records: BigInt(rows.records),
          originalSize: BigInt(files.reduce((sum, f) => sum + f.originalSize, 0)),
          compressedSize: BigInt(files.reduce((sum, f) => sum + f.compressedSize, 0)),
          tookMs: BigInt(Date.now() - started),
        },
      };
    },
    // eslint-disable-next-line require-yield -- refuses before the first message
    hotData: async function* () {
      await notHere('HotData');
    },
  });
  server.add(PromqlService, promqlServiceImpl(querier.promql));
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
    // A querier holds nothing to flush and no hot rows.
    flush: () => Promise.resolve({}),
    hotStats: () => Promise.resolve({ streams: [] }),
    quarantine: () => Promise.resolve({ entries: [] }),
    health: () =>
      Promise.resolve({ ready: true, checks: [{ name: 'querier', ok: true, message: '' }] }),
  });
  return server;
}
