import { createGrpcClient } from '@o2/grpc';
import type { GrpcClient } from '@o2/grpc';
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
import type { ScanAnswer, ScanCall } from '@o2/proto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createQuerier } from '../app.js';
import { BASE, HOUR, ROWS_PER_FILE, storedStream } from '../test-support/stored-stream.js';
import type { StoredStream } from '../test-support/stored-stream.js';
import { readParquet } from '@o2/parquet';
import type { PartialRows } from '@o2/search';
import { querierGrpcServer } from './querier-grpc-server.js';

const TOKEN = 'between-nodes';
const FILES = 3;
const logger = createLogger({ level: 'silent' });
const range = { startTs: BASE, endTs: BASE + FILES * HOUR };

/** A real querier over `files` stored Parquet files behind its gRPC server, and a client. */
interface ServerWorld {
  disk: StoredStream;
  client: GrpcClient;
  close(): Promise<void>;
}

async function serverWorld(files: number, rowsPerFile?: number): Promise<ServerWorld> {
  const disk = await storedStream(files, {
    ...(rowsPerFile === undefined ? {} : { rowsPerFile }),
    env: { ZO_GRPC_PORT: '0', ZO_GRPC_ADDR: '127.0.0.1', ZO_INTERNAL_GRPC_TOKEN: TOKEN },
  });
  const { config, metaStore, objectStore, files: fileCache } = disk;
  const querier = createQuerier({ config, logger, metaStore, objectStore, fileCache });
  await querier.start();
  const node = {
    id: 'q1',
    name: 'querier-1',
    roles: ['querier' as const],
    httpAddr: '',
    grpcAddr: '',
    startedAt: 1,
  };
  const server = querierGrpcServer({ config, logger, querier, node, maxMessageBytes: 1 << 24 });
  await server.start();
  const client = createGrpcClient({ address: `127.0.0.1:${server.port}`, token: TOKEN, logger });
  return {
    disk,
    client,
    close: async () => {
      client.close();
      await server.stop();
      await querier.stop();
      await disk.close();
    },
  };
}

/** A leader's scan of stream `app` over `range`, as the worker's gRPC client sends it. */
function scanOf(
  client: GrpcClient,
  call: Pick<ScanCall, 'sql' | 'files'> & Partial<ScanCall>,
): Promise<ScanAnswer> {
  const request = encodeScanRequest({ queryId: '', org: 'default', type: 'logs', range, ...call });
  return collectScan(client.service(ScanService).search(request));
}

// A real querier over stored Parquet behind its gRPC server, called through the codecs the
// router and a leader querier use.
describe('querier gRPC server', () => {
  let world: ServerWorld;
  let disk: StoredStream;
  let client: GrpcClient;

  beforeAll(async () => {
    world = await serverWorld(FILES);
    ({ disk, client } = world);
  });

  afterAll(() => world.close());

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

  it('runs a leader’s partial SQL over its file share and streams the result, with its stats', async () => {
    const share = disk.entries.slice(0, 2);
    const answer = await collectScan(
      client.service(ScanService).search(
        encodeScanRequest({
          queryId: 'q-1',
          org: 'default',
          type: 'logs',
          // As a leader words it: the stream read through its view name, bound by the worker.
          sql: 'SELECT count_star() AS __o2_p0 FROM __o2_stream_0 AS app',
          range,
          files: share,
        }),
      ),
    );
    // One row: it travels as text, not as a Parquet file.
    expect(answer.parquet).toEqual([]);
    expect(await columnOf(answer, '__o2_p0')).toEqual([2 * ROWS_PER_FILE]);
    expect(answer.stats).toMatchObject({
      node: 'querier-1',
      files: 2,
      records: 2 * ROWS_PER_FILE,
      originalSize: share.reduce((n, f) => n + f.originalSize, 0),
    });
  });

  it('binds its view with the schema the leader sent, not its own metastore read', async () => {
    const schema = (
      await disk.metaStore.schemas.latest({ org: 'default', type: 'logs', name: 'app' })
    )?.fields as Array<{ name: string; type: string }>;
    // A field the metastore does not know yet (the leader's read is newer): NULL in every row.
    const sent = { schema: [...schema, { name: 'fresh', type: 'Utf8' }], settings: {} };
    const answer = await collectScan(
      client.service(ScanService).search(
        encodeScanRequest({
          queryId: '',
          org: 'default',
          type: 'logs',
          sql: 'SELECT count("fresh") AS __o2_p0, count_star() AS __o2_p1 FROM __o2_stream_0',
          range,
          files: disk.entries.slice(0, 1),
          stream: sent,
        }),
      ),
    );
    const columns = [await columnOf(answer, '__o2_p0'), await columnOf(answer, '__o2_p1')];
    expect(columns).toEqual([[0], [ROWS_PER_FILE]]);
  });

  it('reads only the rows the leader’s token index left in a file, the others whole', async () => {
    const scan = (rowRanges: ScanCall['rowRanges']) =>
      scanOf(client, {
        sql: 'SELECT count_star() AS __o2_p0 FROM __o2_stream_0',
        files: disk.entries.slice(0, 2),
        rowRanges,
      });
    const ranged = await scan([
      [
        [0, 3],
        [7, 9],
      ],
      undefined,
    ]);
    expect(await columnOf(ranged, '__o2_p0')).toEqual([5 + ROWS_PER_FILE]);
    // Ranges that are not ascending, disjoint pairs within the file are the caller's error.
    for (const bad of [
      [[5, 3]],
      [
        [0, 4],
        [2, 6],
      ],
      [[0, ROWS_PER_FILE + 1]],
    ] as const) {
      await expect(scan([bad, undefined])).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    }
  });

  it('refuses a partial SQL that reads anything but the stream', async () => {
    const call = (sql: string) => scanOf(client, { sql, files: disk.entries });
    await expect(call(`SELECT * FROM read_text('/etc/passwd')`)).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
    });
    await expect(call('SELECT * FROM a JOIN b USING (x)')).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
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

/** A column of a worker's answer as numbers, whichever way it came (text rows or Parquet). */
async function columnOf(answer: ScanAnswer, name: string): Promise<number[]> {
  if (answer.partialRows !== undefined) {
    const text = Buffer.from(answer.partialRows).toString('utf8');
    const { columns, rows } = JSON.parse(text) as PartialRows;
    const at = columns.findIndex((c) => c.name === name);
    return rows.map((row) => Number(row[at]));
  }
  const table = await readParquet(Buffer.concat(answer.parquet));
  return [...(table.getChild(name) ?? [])].map(Number);
}

// What a worker sends is bounded by the partial result, not by the rows it scans.
describe('a worker’s answer to a group-by over 100k rows', () => {
  let world: ServerWorld;
  let disk: StoredStream;
  let client: GrpcClient;
  const ROWS = 100_000;

  beforeAll(async () => {
    world = await serverWorld(1, ROWS);
    ({ disk, client } = world);
  }, 60_000);

  afterAll(() => world.close());

  const scan = async (sql: string) => {
    const answer = await collectScan(
      client.service(ScanService).search(
        encodeScanRequest({
          queryId: '',
          org: 'default',
          type: 'logs',
          sql,
          range: { startTs: BASE, endTs: BASE + ROWS * 1_000_000 },
          files: disk.entries,
        }),
      ),
    );
    const text = answer.partialRows?.byteLength ?? 0;
    return { bytes: answer.parquet.reduce((n, c) => n + c.byteLength, text), answer };
  };

  it('is a few hundred bytes for count(*) per 3-valued key', async () => {
    const grouped = await scan(
      'SELECT _timestamp % 3 AS __o2_k0, count_star() AS __o2_p0 FROM __o2_stream_0 AS app GROUP BY _timestamp % 3',
    );
    expect(grouped.answer.stats?.records).toBe(ROWS);
    const counts = await columnOf(grouped.answer, '__o2_p0');
    expect(counts).toHaveLength(3);
    expect(counts.reduce((n, c) => n + c, 0)).toBe(ROWS);
    expect(grouped.bytes).toBeLessThan(1024);
    // The same share as rows is what the split avoids sending; so many rows stay Parquet.
    const rows = await scan('SELECT log FROM __o2_stream_0 AS app');
    expect(rows.answer.partialRows).toBeUndefined();
    expect((await readParquet(Buffer.concat(rows.answer.parquet))).numRows).toBe(ROWS);
    expect(rows.bytes).toBeGreaterThan(100 * grouped.bytes);
  });
});
