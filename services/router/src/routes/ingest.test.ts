import { execFileSync } from 'node:child_process';
import { request } from 'node:http';
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '@o2/errors';
import { ensureTool } from '@o2/testing';
import { RecordingIngest } from '../test-support/recording-ingest.js';
import {
  ROOT_EMAIL,
  basic,
  call,
  makeDbDir,
  rootAuth,
  startRouter,
} from '../test-support/start-router.js';
import type { StartedRouter } from '../test-support/start-router.js';

const LIMIT = 4096;
const RECORDS = [
  { level: 'info', log: 'hello', kubernetes: { pod_name: 'p1' } },
  { level: 'warn', log: 'world' },
];
const RECORDS_TEXT = JSON.stringify(RECORDS);
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

function zstd(input: Buffer, args: string[] = []): Buffer {
  const bin = ensureTool({ name: 'zstd', install: { kind: 'apt', packages: ['zstd'] } });
  return execFileSync(bin, ['-q', '-c', ...args], { input });
}

/** A POST whose body goes out chunked (no Content-Length), so only streaming can enforce limits. */
function postChunked(
  url: string,
  path: string,
  chunks: readonly Buffer[],
  headers: Record<string, string>,
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(`${url}${path}`, { method: 'POST', headers }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (c: Buffer) => parts.push(c));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, text: Buffer.concat(parts).toString() }),
      );
    });
    req.on('error', reject);
    for (const chunk of chunks) req.write(chunk);
    req.end();
  });
}

describe('ingest routes', () => {
  let dir: { path: string; remove(): Promise<void> };
  let o2: StartedRouter;
  let errorsOnly: StartedRouter;
  let noIngester: StartedRouter;
  const ingest = new RecordingIngest();
  let passcodeAuth: string;

  beforeAll(async () => {
    dir = await makeDbDir();
    const env = { ZO_PAYLOAD_LIMIT: String(LIMIT) };
    o2 = await startRouter(`${dir.path}/a`, { env, deps: { ingest } });
    errorsOnly = await startRouter(`${dir.path}/b`, {
      env: { ...env, ZO_BULK_RESPONSE_INCLUDE_ERRORS_ONLY: 'true' },
      deps: { ingest: new RecordingIngest() },
    });
    noIngester = await startRouter(`${dir.path}/c`, { env });
    const passcode = await call(o2.url, '/api/default/passcode', { auth: rootAuth() });
    passcodeAuth = basic(
      ROOT_EMAIL,
      (passcode.body as { data: { passcode: string } }).data.passcode,
    );
  });
  afterAll(async () => {
    await Promise.all([o2.close(), errorsOnly.close(), noIngester.close()]);
    await dir.remove();
  });

  it('passes a _json body of any Content-Type to the ingester and answers in O2’s shape', async () => {
    const res = await call(o2.url, '/api/default/app_logs/_json', {
      auth: rootAuth(),
      body: RECORDS_TEXT,
      headers: FORM,
    });
    expect(res.status).toBe(200);
    expect(res.text).toBe('{"code":200,"status":[{"name":"app_logs","successful":2,"failed":0}]}');
    expect(ingest.last).toEqual({
      org: 'default',
      stream: 'app_logs',
      streamType: 'logs',
      format: 'json',
      text: RECORDS_TEXT,
    });
  });

  it('passes _multi NDJSON through and shows per-record failures with HTTP 200', async () => {
    const res = await call(o2.url, '/api/default/multi_logs/_multi', {
      auth: rootAuth(),
      body: '{"a":1}\n{"a":2}\n7\n',
    });
    expect(res.status).toBe(200);
    expect(res.text).toBe(
      '{"code":200,"status":[{"name":"multi_logs","successful":2,"failed":1,"error":"record is not an object"}]}',
    );
    expect(ingest.last).toMatchObject({ format: 'multi', stream: 'multi_logs' });
  });

  it.each([
    ['gzip', gzipSync],
    ['x-gzip', gzipSync],
    ['deflate', deflateSync],
    ['br', brotliCompressSync],
    ['zstd', (b: Buffer) => zstd(b)],
    // A 128 MiB window, far above the limit: decoded within a window bounded by the limit.
    ['ZSTD', (b: Buffer) => zstd(b, ['--long=27'])],
  ])('decodes a %s body before the ingester sees it', async (encoding, compress) => {
    const res = await call(o2.url, '/api/default/zipped/_json', {
      auth: rootAuth(),
      body: compress(Buffer.from(RECORDS_TEXT)),
      headers: { 'content-encoding': encoding, 'content-type': 'application/json' },
    });
    expect([res.status, res.text]).toEqual([
      200,
      '{"code":200,"status":[{"name":"zipped","successful":2,"failed":0}]}',
    ]);
    expect(ingest.last?.text).toBe(RECORDS_TEXT);
  });

  it('decodes a zstd body made of several frames and a chunked upload', async () => {
    const parts = [Buffer.from('{"n":1}\n'), Buffer.from('{"n":2}\n')];
    const body = Buffer.concat(parts.map((p) => zstd(p)));
    const res = await postChunked(o2.url, '/api/default/frames/_multi', [body], {
      authorization: rootAuth(),
      'content-encoding': 'zstd',
    });
    expect(res.status).toBe(200);
    expect(ingest.last?.text).toBe('{"n":1}\n{"n":2}\n');
  });

  it('refuses a raw body over ZO_PAYLOAD_LIMIT with 413, declared or streamed', async () => {
    const before = ingest.requests.length;
    const big = Buffer.alloc(LIMIT + 1, 'a');
    const declared = await call(o2.url, '/api/default/big/_json', { auth: rootAuth(), body: big });
    expect(declared.status).toBe(413);
    expect(declared.body).toEqual({
      code: 413,
      message: `Request body is larger than the limit of ${LIMIT} bytes`,
    });
    const chunks = Array.from({ length: 64 }, () => Buffer.alloc(1024, 'b'));
    const streamed = await postChunked(o2.url, '/api/default/big/_json', chunks, {
      authorization: rootAuth(),
    });
    expect(streamed.status).toBe(413);
    expect(JSON.parse(streamed.text)).toMatchObject({ code: 413 });
    expect(ingest.requests.length).toBe(before);
    // The connection stays usable after a refused upload.
    expect((await call(o2.url, '/healthz')).status).toBe(200);
  });

  it.each([
    ['gzip', gzipSync],
    ['deflate', deflateSync],
    ['br', brotliCompressSync],
    ['zstd', (b: Buffer) => zstd(b)],
  ])('refuses a %s body that decompresses past the limit with 413', async (encoding, compress) => {
    const before = ingest.requests.length;
    const bomb = compress(Buffer.alloc(1024 * 1024, ' '));
    expect(bomb.length).toBeLessThan(LIMIT);
    const res = await call(o2.url, '/api/default/bomb/_json', {
      auth: rootAuth(),
      body: bomb,
      headers: { 'content-encoding': encoding },
    });
    expect(res.status).toBe(413);
    expect(res.body).toEqual({
      code: 413,
      message: `Decompressed request body is larger than the limit of ${LIMIT} bytes`,
    });
    expect(ingest.requests.length).toBe(before);
  });

  it('refuses an unknown or stacked Content-Encoding with 415 and corrupt data with 400', async () => {
    for (const encoding of ['compress', 'gzip, br']) {
      const res = await call(o2.url, '/api/default/x/_json', {
        auth: rootAuth(),
        body: RECORDS_TEXT,
        headers: { 'content-encoding': encoding },
      });
      expect([res.status, (res.body as { code: number }).code]).toEqual([415, 415]);
    }
    const corrupt = await call(o2.url, '/api/default/x/_json', {
      auth: rootAuth(),
      body: 'not gzip at all',
      headers: { 'content-encoding': 'gzip' },
    });
    expect(corrupt.status).toBe(400);
  });

  it('answers 400 when the ingester rejects the body and 503 + Retry-After when it is full', async () => {
    const bad = await call(o2.url, '/api/default/x/_json', { auth: rootAuth(), body: '[{' });
    expect(bad.status).toBe(400);
    expect((bad.body as { message: string }).message).toMatch(/^Invalid json/);
    ingest.failWith = new AppError('UNAVAILABLE', 'memtable is full, retry later', {
      retryAfterSeconds: 2,
    });
    try {
      const busy = await call(o2.url, '/api/default/x/_json', { auth: rootAuth(), body: '[]' });
      expect(busy.status).toBe(503);
      expect(busy.headers.get('retry-after')).toBe('2');
      expect(busy.body).toEqual({ code: 503, message: 'memtable is full, retry later' });
    } finally {
      ingest.failWith = undefined;
    }
  });

  it('answers 503 on every ingest route when no ingester is reachable', async () => {
    for (const path of ['/api/default/x/_json', '/api/default/x/_multi', '/api/default/_bulk']) {
      const res = await call(noIngester.url, path, { auth: rootAuth(), body: '{}' });
      expect([res.status, res.body]).toEqual([
        503,
        { code: 503, message: 'No ingester is available' },
      ]);
    }
  });

  it('answers _bulk as Elasticsearch does, with failures as 422 items', async () => {
    const body = [
      '{"index":{"_index":"es_logs","_id":"a1"}}',
      '{"msg":"one"}',
      '{"create":{"_index":"es_logs"}}',
      '{"msg":"two"}',
      '{"index":{"_index":"_"}}',
      '{"msg":"three"}',
      '',
    ].join('\n');
    const res = await call(o2.url, '/api/default/_bulk', {
      auth: rootAuth(),
      body,
      headers: { 'content-type': 'application/x-ndjson' },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-elastic-product')).toBe('Elasticsearch');
    const created = {
      _version: 1,
      result: 'created',
      _shards: { total: 1, successful: 1, failed: 0 },
      _seq_no: 1,
      _primary_term: 1,
      status: 200,
    };
    expect(res.body).toEqual({
      took: 3,
      errors: true,
      items: [
        { index: { _index: 'es_logs', _id: 'a1', ...created } },
        { create: { _index: 'es_logs', _id: '', ...created } },
        {
          index: {
            _index: '_',
            _id: '',
            status: 422,
            error: {
              type: 'Mapping',
              reason: 'Stream name is empty',
              index_uuid: '',
              shard: '1',
              index: '_',
            },
            originalRecord: { msg: 'three' },
          },
        },
      ],
    });
    expect(ingest.last).toMatchObject({ format: 'bulk', stream: undefined, streamType: 'logs' });
    expect(ingest.last?.text).toBe(body);

    const onlyErrors = await call(errorsOnly.url, '/api/default/_bulk', { auth: rootAuth(), body });
    const items = (onlyErrors.body as { items: Array<Record<string, { status: number }>> }).items;
    expect(items.map((item) => Object.values(item)[0]?.status)).toEqual([422]);
  });

  it('accepts the ingestion passcode on _json, _multi and _bulk', async () => {
    const json = await call(o2.url, '/api/default/pc/_json', { auth: passcodeAuth, body: '[{}]' });
    expect(json.status).toBe(200);
    const multi = await call(o2.url, '/api/default/pc/_multi', { auth: passcodeAuth, body: '{}' });
    expect(multi.status).toBe(200);
    const bulk = await call(o2.url, '/api/default/_bulk', {
      auth: passcodeAuth,
      body: '{"index":{"_index":"pc"}}\n{}\n',
    });
    expect(bulk.status).toBe(200);
    const otherOrg = await call(o2.url, '/api/_meta/pc/_json', { auth: passcodeAuth, body: '[]' });
    expect(otherOrg.status).toBe(401);
  });
});

describe('Elasticsearch handshake stubs', () => {
  let dir: { path: string; remove(): Promise<void> };
  let o2: StartedRouter;

  beforeAll(async () => {
    dir = await makeDbDir();
    o2 = await startRouter(dir.path, { deps: { ingest: new RecordingIngest() } });
  });
  afterAll(async () => {
    await o2.close();
    await dir.remove();
  });

  it('answers the info root with the version a client announces, else 7.17.1', async () => {
    const plain = await call(o2.url, '/api/default/', { auth: rootAuth() });
    expect(plain.status).toBe(200);
    expect(plain.headers.get('x-elastic-product')).toBe('Elasticsearch');
    expect(plain.body).toMatchObject({
      name: 'router-test-1',
      cluster_name: 'zo1',
      version: { number: '7.17.1', build_flavor: 'default' },
      tagline: 'You Know, for Search',
    });
    const client = await call(o2.url, '/api/default', {
      auth: rootAuth(),
      headers: { 'user-agent': 'elasticsearch-py/8.11.0 (Python/3.11; elastic-transport/8.10.0)' },
    });
    expect(client.body).toMatchObject({ version: { number: '8.11.0' } });
    const beat = await call(o2.url, '/api/default/', {
      auth: rootAuth(),
      headers: { 'user-agent': 'Elastic-filebeat/8.12.2 (linux; amd64)' },
    });
    expect(beat.body).toMatchObject({ version: { number: '8.12.2' } });
    const opensearch = await call(o2.url, '/api/default/', {
      auth: rootAuth(),
      headers: { 'user-agent': 'opensearch-py/2.4.2 (Python 3.11.4)' },
    });
    expect(opensearch.body).toMatchObject({
      version: { number: '2.4.2', distribution: 'opensearch' },
    });
    const head = await call(o2.url, '/api/default/', { method: 'HEAD', auth: rootAuth() });
    expect([head.status, head.headers.get('x-elastic-product')]).toEqual([200, 'Elasticsearch']);
  });

  it('answers the license, xpack, ILM, template, data stream and pipeline probes', async () => {
    const get = (path: string, method = 'GET') =>
      call(o2.url, `/api/default/${path}`, { method, auth: rootAuth() });
    const license = await get('_license');
    expect(license.body).toMatchObject({ license: { status: 'active', type: 'basic' } });
    expect((await get('_xpack')).body).toMatchObject({ license: { status: 'active' } });
    expect((await get('_ilm/policy/filebeat')).body).toMatchObject({
      filebeat: { policy: { phases: {} } },
    });
    expect((await get('_index_template/logs')).body).toMatchObject({
      index_templates: [{ name: 'logs' }],
    });
    expect((await get('_data_stream/logs-app')).body).toMatchObject({
      data_streams: [{ name: 'logs-app' }],
    });
    expect((await get('_ingest/pipeline/p1')).body).toEqual({
      p1: { description: '', processors: [] },
    });
    for (const path of [
      '_ilm/policy/a',
      '_index_template/a',
      '_data_stream/a',
      '_ingest/pipeline/a',
    ]) {
      for (const method of ['HEAD', 'POST', 'PUT']) {
        const res = await get(path, method);
        expect([path, method, res.status, res.headers.get('x-elastic-product')]).toEqual([
          path,
          method,
          200,
          'Elasticsearch',
        ]);
        if (method !== 'HEAD') expect(res.body).toEqual({ acknowledged: true });
      }
    }
  });

  it('lets the ingestion passcode through the probes Filebeat makes', async () => {
    const passcode = await call(o2.url, '/api/default/passcode', { auth: rootAuth() });
    const auth = basic(ROOT_EMAIL, (passcode.body as { data: { passcode: string } }).data.passcode);
    for (const path of ['', '_license', '_xpack', '_ilm/policy/a', '_index_template/a']) {
      const res = await call(o2.url, `/api/default/${path}`, { auth });
      expect([path, res.status]).toEqual([path, 200]);
    }
    // …and no further: organisation-less paths keep their own routes.
    expect((await call(o2.url, '/api/default/users', { auth })).status).toBe(401);
  });
});
