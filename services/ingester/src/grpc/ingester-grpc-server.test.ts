import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { RecordBatchReader } from 'apache-arrow';
import { afterEach, describe, expect, it } from 'vitest';
import { AppError } from '@o2/errors';
import { createGrpcClient } from '@o2/grpc';
import type { GrpcClient, GrpcServer } from '@o2/grpc';
import {
  HotDataService,
  IngestFormat,
  IngestService,
  NodeService,
  QueryService,
  ScanService,
  StreamType,
} from '@o2/proto';
import type { HotDataResponse } from '@o2/proto';
import { ingesterWorld, k8slogBody, silentLogger } from '../test-support/ingester-fixture.js';
import type { IngesterWorld } from '../test-support/ingester-fixture.js';
import { ingesterGrpcServer } from './ingester-grpc-server.js';

const TOKEN = 'between-nodes';

interface Running {
  world: IngesterWorld;
  server: GrpcServer;
  client: GrpcClient;
}

async function startIngester(env: Record<string, string> = {}): Promise<Running> {
  const world = await ingesterWorld({ ZO_GRPC_PORT: '0', ZO_INTERNAL_GRPC_TOKEN: TOKEN, ...env });
  const ingester = await world.boot();
  const server = ingesterGrpcServer({
    config: world.config,
    logger: silentLogger,
    ingester,
    node: {
      id: 'n1',
      name: 'ingester-1',
      roles: ['ingester'],
      httpAddr: '127.0.0.1:0',
      grpcAddr: '127.0.0.1:0',
      startedAt: 1,
    },
    maxMessageBytes: 64 * 1024 * 1024,
  });
  await server.start();
  const client = createGrpcClient({
    address: `127.0.0.1:${server.port}`,
    token: TOKEN,
    logger: silentLogger,
  });
  return { world, server, client };
}

const k8sRequest = (requestId: string) => ({
  requestId,
  org: 'default',
  stream: 'default',
  streamType: StreamType.LOGS,
  format: IngestFormat.JSON,
  body: k8slogBody(),
});

/** Rows of every Arrow IPC stream in the chunks, plus the last message's registered files. */
async function hotData(client: GrpcClient) {
  const messages: HotDataResponse[] = [];
  for await (const message of client.service(HotDataService).hotData({
    org: 'default',
    stream: 'default',
    streamType: StreamType.LOGS,
    startTime: 0n,
    endTime: BigInt(Date.now() + 3_600_000) * 1000n,
  }))
    messages.push(message);
  const bytes = Buffer.concat(messages.map((m) => m.arrowIpc));
  let rows = 0;
  if (bytes.byteLength > 0)
    for (const reader of RecordBatchReader.readAll(bytes))
      for (const batch of reader) rows += batch.numRows;
  const registered = messages.at(-1)?.registeredFiles ?? [];
  return { rows, registeredRecords: registered.reduce((n, f) => n + Number(f.records), 0) };
}

async function localParquet(root: string): Promise<string[]> {
  try {
    return (await readdir(root, { recursive: true })).filter((e) => e.endsWith('.parquet'));
  } catch {
    return [];
  }
}

describe('ingester gRPC server', () => {
  let running: Running | undefined;
  afterEach(async () => {
    running?.client.close();
    await running?.server.stop();
    await running?.world.close();
    running = undefined;
  });

  it('answers a resent request id with the first answer and stores its records once', async () => {
    running = await startIngester();
    const ingest = running.client.service(IngestService);
    const [first, concurrent] = await Promise.all([
      ingest.ingest(k8sRequest('req-1')),
      ingest.ingest(k8sRequest('req-1')),
    ]);
    const again = await ingest.ingest(k8sRequest('req-1'));
    for (const answer of [first, concurrent, again]) {
      expect(answer.result.case).toBe('response');
      if (answer.result.case !== 'response') continue;
      expect(answer.result.value.status.map((s) => [s.name, s.successful, s.failed])).toEqual([
        ['default', 981n, 0n],
      ]);
    }
    expect(await hotData(running.client)).toEqual({ rows: 981, registeredRecords: 0 });

    await ingest.ingest(k8sRequest('req-2'));
    expect((await hotData(running.client)).rows).toBe(981 * 2);
  });

  it('answers an idempotency key sent with new request ids once, and refuses a bad key', async () => {
    running = await startIngester();
    const ingest = running.client.service(IngestService);
    const keyed = (requestId: string, idempotencyKey: string) => ({
      ...k8sRequest(requestId),
      idempotencyKey,
    });
    const first = await ingest.ingest(keyed('req-1', 'client-key'));
    const retry = await ingest.ingest(keyed('req-2', 'client-key'));
    expect(retry).toEqual(first);
    expect(await hotData(running.client)).toEqual({ rows: 981, registeredRecords: 0 });
    const error = await ingest.ingest(keyed('req-3', 'bad key')).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect((error as AppError).code).toBe('INVALID_ARGUMENT');
    expect((error as AppError).message).toMatch(/Idempotency-Key must be/);
  });

  it('refuses a request without an id', async () => {
    running = await startIngester();
    const error = await running.client
      .service(IngestService)
      .ingest(k8sRequest(''))
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('INVALID_ARGUMENT');
  });

  it('moves hot rows to registered files on NodeService.Flush', async () => {
    running = await startIngester();
    await running.client.service(IngestService).ingest(k8sRequest('req-1'));
    await running.client.service(NodeService).flush({});
    expect(await hotData(running.client)).toEqual({ rows: 0, registeredRecords: 981 });
    const info = await running.client.service(NodeService).info({});
    expect([info.name, info.roles]).toEqual(['ingester-1', ['ingester']]);
  });

  it('sends rows of local Parquet files that are not uploaded yet', async () => {
    running = await startIngester({ ZO_MEM_PERSIST_INTERVAL: '1' });
    await running.client.service(IngestService).ingest(k8sRequest('req-1'));
    const walFiles = join(running.world.config.ZO_DATA_WAL_DIR, 'files');
    await expect.poll(() => localParquet(walFiles), { timeout: 20_000 }).not.toEqual([]);
    expect(await hotData(running.client)).toEqual({ rows: 981, registeredRecords: 0 });
  });

  it('serves only its own services: the queriers’ QueryService and ScanService are not there', async () => {
    running = await startIngester();
    const { client } = running;
    const failure = (call: Promise<unknown>) =>
      call.then(
        () => undefined,
        (e: unknown) => e,
      );
    const query = await failure(client.service(QueryService).query({ org: 'default' }));
    const scan = await failure(
      (async () => {
        for await (const _ of client.service(ScanService).search({ org: 'default' })) break;
      })(),
    );
    for (const error of [query, scan]) {
      expect(error).toBeInstanceOf(AppError);
      expect((error as AppError).message).toMatch(/does not implement the method/);
    }
  });
});
