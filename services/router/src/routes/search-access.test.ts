import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RecordingSearch } from '../test-support/recording-search.js';
import {
  ROOT_EMAIL,
  basic,
  call,
  makeDbDir,
  rootAuth,
  startRouter,
} from '../test-support/start-router.js';
import type { StartedRouter } from '../test-support/start-router.js';

const T0 = 1_764_300_000_000_000; // µs
const MEMBER = { email: 'member@example.com', password: 'Memberpass#1' };

const searchBody = () => ({
  query: { sql: 'SELECT * FROM "default"', start_time: T0, end_time: T0 + 1_000 },
});

describe('search routes: access and query_functions', () => {
  let dir: { path: string; remove(): Promise<void> };
  let o2: StartedRouter;
  const memberAuth = basic(MEMBER.email, MEMBER.password);
  let passcodeAuth: string;

  beforeAll(async () => {
    dir = await makeDbDir();
    o2 = await startRouter(dir.path, { deps: { search: new RecordingSearch() } });
    const created = await call(o2.url, '/api/default/users', {
      auth: rootAuth(),
      json: { ...MEMBER, role: 'user' },
    });
    expect(created.status).toBe(200);
    const passcode = await call(o2.url, '/api/default/passcode', { auth: rootAuth() });
    passcodeAuth = basic(
      ROOT_EMAIL,
      (passcode.body as { data: { passcode: string } }).data.passcode,
    );
  });
  afterAll(async () => {
    await o2.close();
    await dir.remove();
  });

  describe('access', () => {
    it('lets members search and refuses the ingestion passcode and outsiders', async () => {
      const routes: Array<[string, string, unknown]> = [
        ['POST', '_search', searchBody()],
        ['POST', '_search_stream', searchBody()],
        ['POST', '_search_multi', { sql: ['x'], start_time: T0, end_time: T0 + 1 }],
        ['POST', '_search_multi_stream', { sql: ['x'], start_time: T0, end_time: T0 + 1 }],
        ['POST', '_search_partition', { sql: 'x', start_time: T0, end_time: T0 + 1 }],
        ['GET', `default/_values?fields=log&start_time=${T0}&end_time=${T0 + 9}`, undefined],
        ['GET', `default/_around?key=${T0}`, undefined],
        [
          'POST',
          '_values_stream',
          { fields: ['log'], start_time: T0, end_time: T0 + 9, stream_name: 'default' },
        ],
        ['POST', 'default/_around', { _timestamp: T0 }],
        ['GET', 'query_functions', undefined],
        ['GET', 'summary', undefined],
      ];
      for (const [method, path, json] of routes) {
        const as = (auth: string) =>
          call(o2.url, `/api/default/${path}`, { method, auth, ...(json ? { json } : {}) });
        expect([path, (await as(memberAuth)).status]).toEqual([path, 200]);
        expect([path, (await as(passcodeAuth)).status]).toEqual([path, 401]);
        const outsider = await call(o2.url, `/api/_meta/${path}`, {
          method,
          auth: memberAuth,
          ...(json ? { json } : {}),
        });
        expect([path, outsider.status]).toEqual([path, 403]);
      }
    });
  });

  describe('query_functions', () => {
    it('lists the O2 functions and aggregates the engine answers', async () => {
      const res = await call(o2.url, '/api/default/query_functions', { auth: memberAuth });
      expect(res.status).toBe(200);
      const { list } = res.body as { list: Array<Record<string, unknown>> };
      for (const entry of list) {
        expect(Object.keys(entry)).toEqual(['name', 'signature', 'doc', 'kind', 'deprecated']);
        expect(entry['signature']).toMatch(new RegExp(`^${entry['name'] as string}\\(`));
        expect(['udf', 'aggregate']).toContain(entry['kind']);
        expect((entry['doc'] as string).length).toBeGreaterThan(10);
      }
      expect(list.filter((f) => f['kind'] === 'udf').map((f) => f['name'])).toEqual([
        'match_all',
        'match_all_raw',
        'match_all_raw_ignore_case',
        'str_match',
        'str_match_ignore_case',
        're_match',
        're_not_match',
        'fuzzy_match',
        'histogram',
        'fuzzy_match_all',
        'match_field',
        'match_field_ignore_case',
        're_matches',
        'cast_to_timestamp',
        'date_format',
        'arrcount',
        'arrindex',
        'arrjoin',
        'arrsort',
        'arr_descending',
        'arrzip',
        'cast_to_arr',
        'to_array_string',
        'spath',
        'string_to_array_v2',
      ]);
      expect(list.filter((f) => f['deprecated'] === true).map((f) => f['name'])).toEqual([
        'match_all_raw',
        'match_all_raw_ignore_case',
      ]);
      expect(list.filter((f) => f['kind'] === 'aggregate').map((f) => f['name'])).toEqual([
        'count',
        'sum',
        'avg',
        'min',
        'max',
        'approx_distinct',
        'approx_percentile_cont',
        'approx_median',
        'approx_topk',
        'approx_topk_distinct',
      ]);
    });
  });
});
