import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ZodType } from 'zod';
import {
  authResultSchema,
  orgSummarySchema,
  orgUserListSchema,
  organizationListSchema,
  passcodeSchema,
  roleListSchema,
  serverConfigSchema,
  streamListSchema,
  streamSchema,
} from '@o2/api-schemas';
import { startRouterWithIngester } from '../test-support/router-with-ingester.js';
import type { RouterWithIngester } from '../test-support/router-with-ingester.js';
import {
  ROOT_EMAIL,
  ROOT_PASSWORD,
  call,
  makeDbDir,
  rootAuth,
} from '../test-support/start-router.js';
import type { CallOptions } from '../test-support/start-router.js';

/**
 * The web UI takes its response types from @o2/api-schemas; these are the router's real answers
 * parsed with those schemas, so a change of shape on either side fails here.
 */
describe('responses match @o2/api-schemas', () => {
  let dir: { path: string; remove(): Promise<void> };
  let node: RouterWithIngester;
  const auth = { auth: rootAuth() };

  beforeAll(async () => {
    dir = await makeDbDir();
    node = await startRouterWithIngester(dir.path);
    const ingest = await call(node.o2.url, '/api/default/app_logs/_json', {
      ...auth,
      json: [{ level: 'info', message: 'hello', k8s_namespace_name: 'shop' }],
    });
    expect(ingest.status).toBe(200);
  });
  afterAll(async () => {
    await node.o2.close();
    await dir.remove();
  });

  const expectShape = async (path: string, schema: ZodType, options: CallOptions = auth) => {
    const res = await call(node.o2.url, path, options);
    expect(res.status, res.text).toBe(200);
    const parsed = schema.safeParse(res.body);
    expect(parsed.error?.issues ?? [], path).toEqual([]);
    return parsed.data;
  };

  it('/config and login/logout', async () => {
    await expectShape('/config', serverConfigSchema, {});
    await expectShape('/auth/login', authResultSchema, {
      json: { name: ROOT_EMAIL, password: ROOT_PASSWORD },
    });
    await expectShape('/config/logout', authResultSchema, {});
  });

  it('summary, organizations, passcode', async () => {
    const summary = await expectShape('/api/default/summary', orgSummarySchema);
    expect(summary).toMatchObject({ streams: { num_streams: 1, total_records: 1 } });
    await expectShape('/api/organizations', organizationListSchema);
    await expectShape('/api/default/passcode', passcodeSchema);
  });

  it('streams list and schema', async () => {
    const list = await expectShape('/api/default/streams?type=logs', streamListSchema);
    expect(list).toMatchObject({ total: 1, list: [{ name: 'app_logs' }] });
    const stream = await expectShape(
      '/api/default/streams/app_logs/schema?type=logs',
      streamSchema,
    );
    expect(stream).toMatchObject({ name: 'app_logs', stats: { doc_num: 1 } });
  });

  it('users and roles', async () => {
    await expectShape('/api/default/users', orgUserListSchema);
    await expectShape('/api/default/users/roles', roleListSchema);
  });
});
