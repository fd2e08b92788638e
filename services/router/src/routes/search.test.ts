import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '@o2/errors';
import { RecordingSearch, searchFailure } from '../test-support/recording-search.js';
import type { Row } from '../test-support/recording-search.js';
import { basic, call, makeDbDir, rootAuth, startRouter } from '../test-support/start-router.js';
import type { StartedRouter } from '../test-support/start-router.js';

const T0 = 1_764_300_000_000_000; // µs
const MEMBER = { email: 'member@example.com', password: 'Memberpass#1' };

const row = (i: number, extra: Record<string, unknown> = {}): Row => ({
  _timestamp: T0 + i,
  kubernetes_pod_name: `pod-${i % 3}`,
  log: `line ${i}`,
  ...extra,
});

const searchBody = (query: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  query: { sql: 'SELECT * FROM "default"', start_time: T0, end_time: T0 + 1_000, ...query },
  ...extra,
});

describe('search routes', () => {
  let dir: { path: string; remove(): Promise<void> };
  let o2: StartedRouter;
  let bare: StartedRouter;
  const search = new RecordingSearch();
  const memberAuth = basic(MEMBER.email, MEMBER.password);

  beforeAll(async () => {
    dir = await makeDbDir();
    o2 = await startRouter(join(dir.path, 'a'), { deps: { search } });
    bare = await startRouter(join(dir.path, 'b'));
    const created = await call(o2.url, '/api/default/users', {
      auth: rootAuth(),
      json: { ...MEMBER, role: 'user' },
    });
    expect(created.status).toBe(200);
  });
  afterAll(async () => {
    await Promise.all([o2.close(), bare.close()]);
    await dir.remove();
  });
  beforeEach(() => {
    search.calls.length = 0;
    search.failWith = undefined;
    search.rows = [row(1), row(2), row(3)];
  });

  const post = (path: string, json: unknown, auth = rootAuth()) =>
    call(o2.url, `/api/default/${path}`, { auth, json });

  describe('_search', () => {
    it("maps O2's body onto the querier's query and sends its answer as it is", async () => {
      const res = await post(
        '_search?type=metrics',
        searchBody({
          from: 1,
          size: 1,
          track_total_hits: true,
          quick_mode: false,
          sql: 'U0VMRUNUICogRlJPTSAiZGVmYXVsdCI',
        }),
      );
      expect(res.status).toBe(200);
      expect(search.calls).toEqual([
        {
          method: 'search',
          org: 'default',
          type: 'metrics',
          query: {
            sql: 'U0VMRUNUICogRlJPTSAiZGVmYXVsdCI',
            startTime: T0,
            endTime: T0 + 1_000,
            from: 1,
            size: 1,
            trackTotalHits: true,
          },
        },
      ]);
      expect(res.body).toMatchObject({ hits: [row(2)], total: 3, from: 1, size: 1 });
      // Byte for byte what the querier answered: key order and all.
      const again = await search.search('default', 'metrics', {
        sql: 'x',
        startTime: T0,
        endTime: T0 + 1_000,
        from: 1,
        size: 1,
        trackTotalHits: true,
      });
      expect(res.text).toBe(JSON.stringify(again));
    });

    it('passes base64 encoding through with the encoded SQL and defaults to logs', async () => {
      const res = await post(
        '_search',
        searchBody({ sql: 'c2VsZWN0IDE=' }, { encoding: 'base64' }),
      );
      expect(res.status).toBe(200);
      expect(search.last).toEqual({
        method: 'search',
        org: 'default',
        type: 'logs',
        query: { sql: 'c2VsZWN0IDE=', startTime: T0, endTime: T0 + 1_000, encoding: 'base64' },
      });
      await post('_search', searchBody({}, { encoding: '' }));
      expect(search.last?.query).not.toHaveProperty('encoding');
    });

    it('refuses malformed requests with 400 before asking the querier', async () => {
      const cases: Array<[unknown, string]> = [
        [{}, 'request body must have a "query" object'],
        [{ query: 'SELECT 1' }, 'request body must have a "query" object'],
        [searchBody({ sql: '' }), 'query.sql must be a non-empty string'],
        [searchBody({ sql: '   ' }), 'query.sql must be a non-empty string'],
        [searchBody({ sql: 42 }), 'query.sql must be a non-empty string'],
        [searchBody({ start_time: undefined }), 'query.start_time must be an integer'],
        [searchBody({ start_time: '1' }), 'query.start_time must be an integer'],
        [searchBody({ end_time: 1.5 }), 'query.end_time must be an integer'],
        [searchBody({ end_time: T0 }), 'query.end_time must be greater than query.start_time'],
        [searchBody({ end_time: T0 - 1 }), 'query.end_time must be greater than query.start_time'],
        [searchBody({ from: -1 }), 'query.from must not be negative'],
        [searchBody({ size: 'ten' }), 'query.size must be an integer'],
        [searchBody({ track_total_hits: 'yes' }), 'query.track_total_hits must be true or false'],
        [searchBody({}, { encoding: 'gzip' }), 'unsupported encoding: "gzip"'],
        [[searchBody({})], 'Request body must be a JSON object'],
      ];
      for (const [body, message] of cases) {
        const res = await post('_search', body);
        expect([res.status, res.body]).toEqual([400, { code: 400, message }]);
      }
      const badType = await post('_search?type=enrichment', searchBody({}));
      expect([badType.status, badType.body]).toEqual([
        400,
        { code: 400, message: 'invalid stream type: enrichment' },
      ]);
      const notJson = await call(o2.url, '/api/default/_search', {
        auth: rootAuth(),
        body: JSON.stringify(searchBody({})),
        headers: { 'content-type': 'text/plain' },
      });
      expect(notJson.status).toBe(415);
      const malformed = await call(o2.url, '/api/default/_search', {
        auth: rootAuth(),
        body: '{"query":',
        headers: { 'content-type': 'application/json' },
      });
      expect(malformed.status).toBe(400);
      expect(search.calls).toEqual([]);
    });

    it("renders search errors with O2's search code, other errors by their AppError code", async () => {
      const cases: Array<[AppError, number, unknown]> = [
        [
          searchFailure(20001, 'Search SQL not valid', 'Parser Error: syntax error at "FORM"'),
          400,
          {
            code: 20001,
            message: 'Search SQL not valid: Parser Error: syntax error at "FORM"',
            error_detail: 'Parser Error: syntax error at "FORM"',
          },
        ],
        [
          searchFailure(20002, 'Search stream not found', 'nope'),
          400,
          { code: 20002, message: 'Search stream not found: nope', error_detail: 'nope' },
        ],
        [
          searchFailure(20010, 'Search timeout', 'took over 600 s', 'DEADLINE_EXCEEDED'),
          408,
          {
            code: 20010,
            message: 'Search timeout: took over 600 s',
            error_detail: 'took over 600 s',
          },
        ],
        [
          searchFailure(20009, 'Search cancelled', 'by user'),
          429,
          { code: 20009, message: 'Search cancelled: by user', error_detail: 'by user' },
        ],
        [
          searchFailure(20012, 'Rate limit exceeded', 'slow down'),
          429,
          { code: 20012, message: 'Rate limit exceeded: slow down', error_detail: 'slow down' },
        ],
        // An engine IO failure is ours: 500, and the detail (a file path) stays in the log.
        [
          searchFailure(20008, 'Search SQL execute error', 'IO Error: /data/x.parquet', 'INTERNAL'),
          500,
          { code: 20008, message: 'Internal Server Error' },
        ],
        [
          AppError.notFound('stream nope not found'),
          404,
          { code: 404, message: 'stream nope not found' },
        ],
      ];
      for (const [error, status, body] of cases) {
        search.failWith = error;
        const res = await post('_search', searchBody({}));
        expect([res.status, res.body]).toEqual([status, body]);
      }
      expect(o2.logs.join('\n')).toContain('/data/x.parquet');
    });

    it('answers 503 when no querier is wired in', async () => {
      const res = await call(bare.url, '/api/default/_search', {
        auth: rootAuth(),
        json: searchBody({}),
      });
      expect([res.status, res.body]).toEqual([
        503,
        { code: 503, message: 'No querier is available' },
      ]);
      for (const path of [
        '_search_partition',
        'default/_values?fields=a&start_time=1&end_time=2',
      ]) {
        const other = await call(bare.url, `/api/default/${path}`, {
          auth: rootAuth(),
          ...(path.startsWith('_') ? { json: { sql: 'x', start_time: 1, end_time: 2 } } : {}),
        });
        expect(other.status).toBe(503);
      }
    });
  });

  describe('_search_partition', () => {
    it('maps the flat body onto a SearchQuery and returns the partition plan', async () => {
      const res = await post('_search_partition?type=traces', {
        sql: 'c2VsZWN0IDE=',
        start_time: T0,
        end_time: T0 + 100,
        encoding: 'base64',
        streaming_output: true,
      });
      expect(res.status).toBe(200);
      expect(search.last).toEqual({
        method: 'partition',
        org: 'default',
        type: 'traces',
        query: { sql: 'c2VsZWN0IDE=', startTime: T0, endTime: T0 + 100, encoding: 'base64' },
      });
      expect(res.body).toMatchObject({
        partitions: [
          [T0 + 50, T0 + 100],
          [T0, T0 + 50],
        ],
      });
      const bad = await post('_search_partition', { sql: 'x', start_time: T0 });
      expect([bad.status, bad.body]).toEqual([
        400,
        { code: 400, message: 'end_time must be an integer' },
      ]);
    });
  });

  describe('_values', () => {
    const values = (query: string, auth = rootAuth()) =>
      call(o2.url, `/api/default/default/_values?${query}`, { auth });

    it('maps the query string onto a ValuesQuery', async () => {
      const res = await values(
        `fields=kubernetes_pod_name,%20log,&size=5&from=2&start_time=${T0}&end_time=${T0 + 10}` +
          `&filter=kubernetes_pod_name%3Dpod-1,pod-2&keyword=lin&no_count=true&sql=c2VsZWN0&type=logs`,
      );
      expect(res.status).toBe(200);
      expect(search.last).toEqual({
        method: 'values',
        org: 'default',
        type: 'logs',
        stream: 'default',
        query: {
          fields: ['kubernetes_pod_name', 'log'],
          startTime: T0,
          endTime: T0 + 10,
          size: 5,
          from: 2,
          filter: 'kubernetes_pod_name=pod-1,pod-2',
          keyword: 'lin',
          noCount: true,
          sql: 'c2VsZWN0',
        },
      });
      expect((res.body as { hits: unknown[] }).hits[0]).toEqual({
        field: 'kubernetes_pod_name',
        values: [
          { zo_sql_key: 'pod-0', zo_sql_num: 1 },
          { zo_sql_key: 'pod-2', zo_sql_num: 1 },
          { zo_sql_key: 'pod-1', zo_sql_num: 1 },
        ],
      });
    });

    it('needs start_time, end_time and fields', async () => {
      const cases: Array<[string, string]> = [
        [`fields=a&end_time=${T0}`, 'start_time is empty'],
        [`fields=a&start_time=0&end_time=${T0}`, 'start_time is empty'],
        [`fields=a&start_time=${T0}`, 'end_time is empty'],
        [`start_time=${T0}&end_time=${T0 + 1}`, 'fields is empty'],
        [`fields=,&start_time=${T0}&end_time=${T0 + 1}`, 'fields is empty'],
        [`fields=a&start_time=abc&end_time=${T0}`, 'start_time must be an integer'],
        [
          `fields=a&start_time=${T0}&end_time=${T0 - 1}`,
          'end_time must be greater than start_time',
        ],
        [`fields=a&start_time=${T0}&end_time=${T0 + 1}&size=-1`, 'size must be an integer ≥ 0'],
        [
          `fields=a&start_time=${T0}&end_time=${T0 + 1}&no_count=1`,
          'no_count must be true or false',
        ],
      ];
      for (const [query, message] of cases) {
        const res = await values(query);
        expect([res.status, res.body]).toEqual([400, { code: 400, message }]);
      }
      expect(search.calls).toEqual([]);
    });
  });

  describe('_around', () => {
    it('maps GET ?key=&size=&sql= and defaults size to 10', async () => {
      const res = await call(
        o2.url,
        `/api/default/default/_around?key=${T0 + 2}&size=2&sql=c2VsZWN0`,
        { auth: memberAuth },
      );
      expect(res.status).toBe(200);
      expect(search.last).toEqual({
        method: 'around',
        org: 'default',
        type: 'logs',
        stream: 'default',
        query: { key: T0 + 2, size: 2, sql: 'c2VsZWN0' },
      });
      expect((res.body as { hits: Row[] }).hits.map((h) => h._timestamp)).toEqual([T0 + 2, T0 + 1]);
      await call(o2.url, `/api/default/default/_around?key=${T0}`, { auth: memberAuth });
      expect(search.last?.query).toEqual({ key: T0, size: 10 });
      const missing = await call(o2.url, '/api/default/default/_around?size=2', {
        auth: memberAuth,
      });
      expect([missing.status, missing.body]).toEqual([400, { code: 400, message: 'key is empty' }]);
    });

    it("POST takes the record's _timestamp as key and its source fields as filters", async () => {
      search.rows.push(row(4, { kubernetes_namespace_name: 'other' }));
      const record = {
        _timestamp: T0 + 3,
        kubernetes_pod_name: 'pod-0',
        kubernetes_namespace_name: 'ziox',
        k8s_cluster: 'c1',
        hostname: 'node-1',
        code: 200,
        log: 'line 3',
        k8s_pod_name: null,
        k8s_namespace_name: { nested: true },
      };
      const res = await call(o2.url, '/api/default/default/_around?size=4&type=logs', {
        auth: rootAuth(),
        json: record,
      });
      expect(res.status).toBe(200);
      expect(search.last).toEqual({
        method: 'around',
        org: 'default',
        type: 'logs',
        stream: 'default',
        query: {
          key: T0 + 3,
          size: 4,
          filters: {
            k8s_cluster: 'c1',
            kubernetes_namespace_name: 'ziox',
            kubernetes_pod_name: 'pod-0',
            hostname: 'node-1',
          },
        },
      });
      const bare = await call(o2.url, '/api/default/default/_around', {
        auth: rootAuth(),
        json: { _timestamp: T0, log: 'x' },
      });
      expect(bare.status).toBe(200);
      expect(search.last?.query).toEqual({ key: T0, size: 10 });
      const noKey = await call(o2.url, '/api/default/default/_around', {
        auth: rootAuth(),
        json: { log: 'x' },
      });
      expect([noKey.status, noKey.body]).toEqual([
        400,
        { code: 400, message: '_timestamp must be an integer in the record' },
      ]);
    });
  });
});
