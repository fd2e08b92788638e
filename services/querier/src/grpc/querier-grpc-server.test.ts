import { createGrpcClient } from '@o2/grpc';
import type { GrpcClient, GrpcServer } from '@o2/grpc';
import { AppError } from '@o2/errors';
import { createLogger } from '@o2/logger';
import {
  HotDataService,
  QueryService,
  ScanService,
  collectScan,
  decodeResponseBody,
  encodeHotDataRequest,
  encodeQueryRequest,
  encodeScanRequest,
} from '@o2/proto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createQuerier } from '../app.js';
import type { Querier } from '../app.js';
import { BASE, HOUR, ROWS_PER_FILE, storedStream } from '../test-support/stored-stream.js';
import type { StoredStream } from '../test-support/stored-stream.js';
import { tablesOfIpc } from './cluster-hot-data.js';
import { querierGrpcServer } from './querier-grpc-server.js';

const TOKEN = 'between-nodes';
const FILES = 3;
const logger = createLogger({ level: 'silent' });
const range = { startTs: BASE, endTs: BASE + FILES * HOUR };

// A real querier over stored Parquet behind its gRPC server, called through the codecs the
// router and a leader querier use.
describe('querier gRPC server', () => {
  let disk: StoredStream;
  let querier: Querier;
  let server: GrpcServer;
  let client: GrpcClient;

  beforeAll(async () => {
    disk = await storedStream(FILES, {
      env: { ZO_GRPC_PORT: '0', ZO_GRPC_ADDR: '127.0.0.1', ZO_INTERNAL_GRPC_TOKEN: TOKEN },
    });
    const { config, metaStore, objectStore, files } = disk;
    querier = createQuerier({ config, logger, metaStore, objectStore, fileCache: files });
    await querier.start();
    const node = {
      id: 'q1',
      name: 'querier-1',
      roles: ['querier' as const],
      httpAddr: '',
      grpcAddr: '',
      startedAt: 1,
    };
    server = querierGrpcServer({ config, logger, querier, node, maxMessageBytes: 1 << 24 });
    await server.start();
    client = createGrpcClient({ address: `127.0.0.1:${server.port}`, token: TOKEN, logger });
  });

  afterAll(async () => {
    client.close();
    await server.stop();
    await querier.stop();
    await disk.close();
  });

  it('answers a router query with O2’s response body', async () => {
    const request = encodeQueryRequest({
      org: 'default',
      type: 'logs',
      query: {
        sql: 'SELECT count(*) AS n FROM "app"',
        startTime: range.startTs,
        endTime: range.endTs,
      },
    });
    const body = decodeResponseBody(await client.service(QueryService).query(request));
    expect(body['hits']).toEqual([{ n: FILES * ROWS_PER_FILE }]);
  });

  it('streams a leader the rows of its file share, with its stats', async () => {
    const share = disk.entries.slice(0, 2);
    const answer = await collectScan(
      client.service(ScanService).search(
        encodeScanRequest({
          queryId: 'q-1',
          org: 'default',
          type: 'logs',
          sql: 'SELECT * FROM "app"',
          range,
          files: share,
        }),
      ),
    );
    const rows = tablesOfIpc(answer.chunks).reduce((n, t) => n + t.numRows, 0);
    expect(rows).toBe(2 * ROWS_PER_FILE);
    expect(answer.stats).toMatchObject({
      node: 'querier-1',
      files: 2,
      records: 2 * ROWS_PER_FILE,
      originalSize: share.reduce((n, f) => n + f.originalSize, 0),
    });
  });

  it('does not serve the ingesters’ HotDataService', async () => {
    const request = encodeHotDataRequest({
      queryId: '',
      ref: { org: 'default', type: 'logs', name: 'app' },
      range,
      columns: [],
    });
    const error = await (async () => {
      for await (const _ of client.service(HotDataService).hotData(request)) break;
    })().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).message).toMatch(/does not implement the method/);
  });
});
