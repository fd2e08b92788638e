import { createServer } from 'node:net';
import { AppError, SEARCH_ERROR, searchErrorCode } from '@o2/errors';
import { createLogger } from '@o2/logger';
import {
  Health,
  HealthCheckResponse_ServingStatus,
  IngestFormat,
  HotDataService,
  IngestService,
  QueryService,
  ScanService,
  StreamType,
} from '@o2/proto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGrpcClient } from './grpc-client.js';
import type { GrpcClient, GrpcClientOptions } from './grpc-client.js';
import { createGrpcServer } from './grpc-server.js';
import type { GrpcServer } from './grpc-server.js';
import { testServices } from './test-support/test-services.js';
import type { Recorder } from './test-support/test-services.js';

const TOKEN = 'internal-secret';
const logger = createLogger({ level: 'silent' });
const fastRetry = { initialBackoffMs: 5, maxBackoffMs: 20 };

let server: GrpcServer;
let recorder: Recorder;
const clients: GrpcClient[] = [];

function client(options: Partial<GrpcClientOptions> = {}): GrpcClient {
  const made = createGrpcClient({
    address: `127.0.0.1:${server.port}`,
    token: TOKEN,
    retry: fastRetry,
    ...options,
  });
  clients.push(made);
  return made;
}

const ingestRequest = (org: string, requestId: string) => ({
  requestId,
  org,
  stream: 'default',
  streamType: StreamType.LOGS,
  format: IngestFormat.MULTI,
  body: new TextEncoder().encode('{"a":1}\n{"a":2}\n{"a":3}\n'),
});

/** Runs `call` and returns the AppError it rejected with. */
async function failure(call: Promise<unknown> | AsyncIterable<unknown>): Promise<AppError> {
  try {
    if (Symbol.asyncIterator in call) for await (const _ of call);
    else await call;
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    return error as AppError;
  }
  throw new Error('the call succeeded');
}

beforeAll(async () => {
  const services = testServices();
  recorder = services.recorder;
  server = createGrpcServer({ port: 0, host: '127.0.0.1', token: TOKEN, logger });
  server.add(IngestService, services.ingest);
  server.add(QueryService, services.query);
  server.add(ScanService, services.scan);
  server.add(HotDataService, services.hotData);
  await server.start();
});

afterAll(async () => {
  clients.forEach((c) => c.close());
  await server.stop();
});

describe('unary and server-streaming calls', () => {
  it('carries a unary request and its typed response across the wire', async () => {
    const response = await client().service(IngestService).ingest(ingestRequest('default', 'r1'));
    expect(response.result.case).toBe('response');
    expect(response.result.value).toMatchObject({
      code: 200,
      status: [{ name: 'default', successful: 3n, failed: 0n }],
    });
    expect(recorder.authorization.at(-1)).toBe(`Bearer ${TOKEN}`);
  });

  it("carries O2's search response object as JSON", async () => {
    const search = client().service(QueryService);
    const response = await search.query({
      org: 'default',
      streamType: StreamType.LOGS,
      query: { sql: 'SELECT * FROM "default"', startTime: 1n, endTime: 2n, size: 10n },
    });
    expect(JSON.parse(new TextDecoder().decode(response.bodyJson))).toEqual({
      took: 1,
      hits: [{ sql: 'SELECT * FROM "default"', size: 10 }],
      total: 1,
    });
    const missing = await failure(
      search.query({ org: 'default', query: { sql: 'SELECT * FROM missing_stream' } }),
    );
    expect(missing.code).toBe('NOT_FOUND');
  });

  it("keeps O2's search code of a search error raised remotely", async () => {
    const search = client().service(QueryService);
    const error = await failure(search.query({ org: 'default', query: { sql: 'SELEC 1' } }));
    expect(error.code).toBe('INVALID_ARGUMENT');
    expect(searchErrorCode(error)).toBe(SEARCH_ERROR.invalidSql);
    expect(error.details).toBe('syntax error at "SELEC"');
  });

  it('streams every message of a server stream in order', async () => {
    const files = ['a.parquet', 'b.parquet', 'c.parquet'].map((file) => ({ stream: 's', file }));
    const chunks: string[] = [];
    let stats: bigint | undefined;
    const search = client().service(ScanService);
    for await (const message of search.search({ queryId: 'q1', sql: 'SELECT 1', files })) {
      if (message.stats !== undefined) stats = message.stats.files;
      else chunks.push(new TextDecoder().decode(message.arrowIpc));
    }
    expect(chunks).toEqual(['a.parquet', 'b.parquet', 'c.parquet']);
    expect(stats).toBe(3n);
  });
});

describe('errors', () => {
  it('turns a NOT_FOUND thrown in a handler into a NOT_FOUND AppError at the client', async () => {
    const error = await failure(
      client().service(IngestService).ingest(ingestRequest('missing', 'r2')),
    );
    expect(error.code).toBe('NOT_FOUND');
    expect(error.message).toBe('organization missing not found');
  });

  it('maps an error raised inside a server stream the same way', async () => {
    const stream = client().service(HotDataService).hotData({ queryId: 'h1', stream: 'gone' });
    const error = await failure(stream);
    expect(error.code).toBe('NOT_FOUND');
    expect(error.message).toBe('stream gone not found');
  });

  it('carries details and the retry hint in metadata', async () => {
    const error = await failure(
      client().service(IngestService).ingest(ingestRequest('busy', 'r3'), { idempotent: false }),
    );
    expect(error.code).toBe('UNAVAILABLE');
    expect(error.details).toBe('ingester über its memory limit');
    expect(error.retryAfterSeconds).toBe(2);
  });

  it('reports an unexpected handler failure as INTERNAL', async () => {
    const error = await failure(
      client().service(IngestService).ingest(ingestRequest('crash', 'r4')),
    );
    expect(error.code).toBe('INTERNAL');
  });

  it('ends a call at its deadline with DEADLINE_EXCEEDED and aborts the handler', async () => {
    const ingest = client().service(IngestService);
    const error = await failure(ingest.ingest(ingestRequest('slow', 'r5'), { timeoutMs: 200 }));
    expect(error.code).toBe('DEADLINE_EXCEEDED');
    const reason = await recorder.aborted;
    expect(reason).toBeInstanceOf(AppError);
  });

  it('applies the client default deadline when the call names none', async () => {
    const ingest = client({ defaultTimeoutMs: 150 }).service(IngestService);
    const error = await failure(ingest.ingest(ingestRequest('slow', 'r6')));
    expect(error.code).toBe('DEADLINE_EXCEEDED');
  });
});

describe('internal token', () => {
  it('rejects a call without the token as UNAUTHENTICATED', async () => {
    const ingest = client({ token: '' }).service(IngestService);
    const error = await failure(ingest.ingest(ingestRequest('default', 'r7')));
    expect(error.code).toBe('UNAUTHENTICATED');
    expect(recorder.calls.has('r7')).toBe(false);
  });

  it('rejects a call with a wrong token, streams included', async () => {
    const wrong = client({ token: 'guess' });
    const unary = await failure(
      wrong.service(IngestService).ingest(ingestRequest('default', 'r8')),
    );
    expect(unary.code).toBe('UNAUTHENTICATED');
    const stream = await failure(wrong.service(ScanService).search({ queryId: 'q-wrong' }));
    expect(stream.code).toBe('UNAUTHENTICATED');
    expect(recorder.calls.has('r8') || recorder.calls.has('q-wrong')).toBe(false);
  });

  it('answers the standard health check without a token (probes carry none)', async () => {
    const health = client({ token: '' }).service(Health);
    const response = await health.check({ service: '' });
    expect(response.status).toBe(HealthCheckResponse_ServingStatus.SERVING);
    const ingest = await health.check({ service: IngestService.typeName });
    expect(ingest.status).toBe(HealthCheckResponse_ServingStatus.SERVING);
  });
});

describe('retries', () => {
  it('retries an idempotent call after UNAVAILABLE and succeeds', async () => {
    const response = await client().service(IngestService).ingest(ingestRequest('flaky', 'r9'));
    expect(response.result.case).toBe('response');
    expect(recorder.calls.get('r9')).toBe(2);
  });

  it('does not retry a call marked not idempotent', async () => {
    const ingest = client().service(IngestService);
    const error = await failure(
      ingest.ingest(ingestRequest('flaky', 'r10'), { idempotent: false }),
    );
    expect(error.code).toBe('UNAVAILABLE');
    expect(recorder.calls.get('r10')).toBe(1);
  });

  it('does not retry other codes, idempotent or not', async () => {
    await failure(client().service(IngestService).ingest(ingestRequest('missing', 'r11')));
    expect(recorder.calls.get('r11')).toBe(1);
  });

  it('gives up when the retry hint would outlast the deadline', async () => {
    const ingest = client().service(IngestService);
    const error = await failure(ingest.ingest(ingestRequest('busy', 'r12'), { timeoutMs: 1_000 }));
    expect(error.code).toBe('UNAVAILABLE');
    expect(recorder.calls.get('r12')).toBe(1);
  });

  it('retries a server stream that failed before its first message', async () => {
    const files = [{ stream: 's', file: 'x.parquet' }];
    const messages = [];
    for await (const m of client().service(ScanService).search({ queryId: 'flaky-before', files }))
      messages.push(m);
    expect(messages).toHaveLength(2);
    expect(recorder.calls.get('flaky-before')).toBe(2);
  });

  it('never restarts a server stream that already delivered messages', async () => {
    const files = [{ stream: 's', file: 'x.parquet' }];
    const received: string[] = [];
    const search = client().service(ScanService);
    const error = await failure(
      (async function* () {
        for await (const m of search.search({ queryId: 'flaky-after', files })) {
          received.push(new TextDecoder().decode(m.arrowIpc));
          yield m;
        }
      })(),
    );
    expect(error.code).toBe('UNAVAILABLE');
    expect(received).toEqual(['x.parquet']);
    expect(recorder.calls.get('flaky-after')).toBe(1);
  });

  it('reports a peer that does not listen as UNAVAILABLE after bounded retries', async () => {
    const port = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const address = probe.address();
        probe.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
      });
    });
    const down = client({ address: `127.0.0.1:${port}`, retry: { ...fastRetry, maxAttempts: 3 } });
    const error = await failure(
      down.service(IngestService).ingest(ingestRequest('default', 'r13')),
    );
    expect(error.code).toBe('UNAVAILABLE');
  });
});
