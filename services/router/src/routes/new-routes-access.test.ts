import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { basic, call, makeDbDir, rootAuth, startRouter } from '../test-support/start-router.js';
import type { CallResult, StartedRouter } from '../test-support/start-router.js';
import { seedMembers } from '../test-support/seed-members.js';

/**
 * The access rules of the management routes added with the O2 management API, as one table:
 * no credentials → 401, another org's admin → 403 with nothing of the org in the body, a viewer
 * on a route that needs more → 403.
 */
const ADMIN = { email: 'acc-admin@example.com', password: 'Adminpass#1' };
const VIEWER = { email: 'acc-viewer@example.com', password: 'Viewerpass#1' };
const OUTSIDER = { email: 'acc-outsider@example.com', password: 'Outsiderpass#1' };

/** Who may call: `admin` = admins and root, `writer` = anyone but viewers, `member` = all. */
type Needs = 'admin' | 'writer' | 'member';
interface RouteCase {
  method: string;
  path: string;
  needs: Needs;
  json?: unknown;
}

const ROUTES: RouteCase[] = [
  { method: 'GET', path: '/api/default/ingestion-tokens', needs: 'admin' },
  { method: 'POST', path: '/api/default/ingestion-tokens', needs: 'admin', json: { name: 'x' } },
  {
    method: 'PATCH',
    path: '/api/default/ingestion-tokens/default',
    needs: 'admin',
    json: { enabled: false },
  },
  { method: 'PUT', path: '/api/default/ingestion-tokens/default/rotate', needs: 'admin' },
  { method: 'DELETE', path: '/api/default/ingestion-tokens/x', needs: 'admin' },
  { method: 'GET', path: '/api/default/service_accounts', needs: 'admin' },
  {
    method: 'POST',
    path: '/api/default/service_accounts',
    needs: 'admin',
    json: { email: 'sa@example.com' },
  },
  { method: 'GET', path: '/api/default/service_accounts/sa@example.com', needs: 'admin' },
  { method: 'PUT', path: '/api/default/service_accounts/sa@example.com', needs: 'admin', json: {} },
  { method: 'DELETE', path: '/api/default/service_accounts/sa@example.com', needs: 'admin' },
  {
    method: 'DELETE',
    path: '/api/default/service_accounts/bulk',
    needs: 'admin',
    json: { ids: [] },
  },
  { method: 'GET', path: '/api/default/kv', needs: 'member' },
  { method: 'GET', path: '/api/default/kv/k', needs: 'member' },
  { method: 'POST', path: '/api/default/kv/k', needs: 'admin', json: 'v' },
  { method: 'DELETE', path: '/api/default/kv/k', needs: 'admin' },
  {
    method: 'POST',
    path: '/api/default/short',
    needs: 'member',
    json: { original_url: 'https://a.example/' },
  },
  { method: 'GET', path: '/api/default/short/0123456789abcdef', needs: 'member' },
  { method: 'GET', path: '/api/default/rumtoken', needs: 'member' },
  { method: 'PUT', path: '/api/default/rumtoken', needs: 'member' },
  { method: 'DELETE', path: '/api/default/users/bulk', needs: 'admin', json: { ids: [] } },
  {
    method: 'DELETE',
    path: '/api/default/streams/s/data_by_time_range?start=1&end=2',
    needs: 'admin',
  },
  { method: 'GET', path: '/api/default/streams/s/data_by_time_range/status/1', needs: 'member' },
  { method: 'GET', path: '/api/v2/default/alerts', needs: 'member' },
  { method: 'POST', path: '/api/v2/default/alerts', needs: 'writer', json: {} },
  { method: 'GET', path: '/api/v2/default/alerts/history', needs: 'member' },
  { method: 'GET', path: '/api/default/alerts/destinations', needs: 'member' },
  { method: 'POST', path: '/api/default/alerts/destinations', needs: 'writer', json: {} },
  { method: 'POST', path: '/api/default/alerts/destinations/test', needs: 'writer', json: {} },
  { method: 'GET', path: '/api/default/alerts/templates', needs: 'member' },
  { method: 'POST', path: '/api/default/alerts/templates', needs: 'writer', json: {} },
  {
    method: 'DELETE',
    path: '/api/default/alerts/templates/bulk',
    needs: 'writer',
    json: { ids: [] },
  },
  { method: 'GET', path: '/api/default/enrichment_tables/status', needs: 'member' },
  { method: 'POST', path: '/api/default/enrichment_tables/t', needs: 'writer' },
  { method: 'POST', path: '/api/default/enrichment_tables/t?append=true', needs: 'writer' },
  { method: 'GET', path: '/api/default/pipelines', needs: 'member' },
  { method: 'POST', path: '/api/default/pipelines', needs: 'writer', json: {} },
  { method: 'PUT', path: '/api/default/pipelines', needs: 'writer', json: {} },
  { method: 'GET', path: '/api/default/pipelines/streams', needs: 'member' },
  { method: 'GET', path: '/api/default/pipelines/p1', needs: 'member' },
  { method: 'DELETE', path: '/api/default/pipelines/p1', needs: 'writer' },
  { method: 'PUT', path: '/api/default/pipelines/p1/enable?value=true', needs: 'writer' },
  {
    method: 'POST',
    path: '/api/default/pipelines/bulk/enable?value=true',
    needs: 'writer',
    json: { ids: [] },
  },
  { method: 'DELETE', path: '/api/default/pipelines/bulk', needs: 'writer', json: { ids: [] } },
  {
    method: 'POST',
    path: '/api/default/enrichment_tables/t/url',
    needs: 'writer',
    json: { url: 'http://127.0.0.1:1/x.csv' },
  },
  { method: 'GET', path: '/api/default/functions', needs: 'member' },
  {
    method: 'POST',
    path: '/api/default/functions',
    needs: 'writer',
    json: { name: 'acc_fn', function: '.a = 1' },
  },
  { method: 'GET', path: '/api/default/functions/acc_fn', needs: 'member' },
  {
    method: 'PUT',
    path: '/api/default/functions/acc_fn',
    needs: 'writer',
    json: { name: 'acc_fn', function: '.a = 2' },
  },
  { method: 'DELETE', path: '/api/default/functions/acc_fn', needs: 'writer' },
  { method: 'DELETE', path: '/api/default/functions/bulk', needs: 'writer', json: { ids: [] } },
  {
    method: 'POST',
    path: '/api/default/functions/test',
    needs: 'writer',
    json: { function: '.a = 1', events: [{}] },
  },
];

describe('new management routes: who may call them', () => {
  let dir: { path: string; remove(): Promise<void> };
  let o2: StartedRouter;
  /** A service account's `email:token`: valid on every route of its org, yet no admin. */
  let botAuth = '';
  const send = (route: RouteCase, auth?: string, path = route.path): Promise<CallResult> =>
    call(o2.url, path, {
      method: route.method,
      ...(auth === undefined ? {} : { auth }),
      ...(route.json === undefined ? {} : { json: route.json }),
    });

  beforeAll(async () => {
    dir = await makeDbDir();
    o2 = await startRouter(dir.path);
    await seedMembers(o2.url, 'default', [
      { ...ADMIN, role: 'admin' },
      { ...VIEWER, role: 'viewer' },
    ]);
    await seedMembers(o2.url, 'other', [{ ...OUTSIDER, role: 'admin' }]);
    const root = rootAuth();
    const bot = await call(o2.url, '/api/default/service_accounts', {
      auth: root,
      json: { email: 'acc-bot@example.com' },
    });
    expect(bot.status).toBe(200);
    const { token } = (
      await call(o2.url, '/api/default/service_accounts/acc-bot@example.com', { auth: root })
    ).body as { token: string };
    botAuth = basic('acc-bot@example.com', token);
  });
  afterAll(async () => {
    await o2.close();
    await dir.remove();
  });

  it.each(ROUTES)('$method $path: 401 without credentials', async (route) => {
    const res = await send(route);
    expect([res.status, res.body]).toMatchObject([401, { code: 401 }]);
  });

  it.each(ROUTES)("$method $path: 403 to another org's admin, nothing leaked", async (route) => {
    const res = await send(route, basic(OUTSIDER.email, OUTSIDER.password));
    expect(res.status).toBe(403);
    expect(res.body).toEqual({ code: 403, message: expect.any(String) as string });
  });

  it.each(ROUTES.filter((r) => r.needs !== 'member'))(
    '$method $path: 403 to a viewer',
    async (route) => {
      const res = await send(route, basic(VIEWER.email, VIEWER.password));
      expect([res.status, res.body]).toMatchObject([403, { code: 403 }]);
    },
  );

  it.each(ROUTES.filter((r) => r.needs === 'admin'))(
    '$method $path: 403 to a service account token',
    async (route) => {
      const res = await send(route, botAuth);
      expect([res.status, res.body]).toMatchObject([403, { code: 403 }]);
    },
  );

  it.each(ROUTES.filter((r) => r.needs === 'admin'))(
    '$method $path: never a 5xx to an admin',
    async (route) => {
      const res = await send(route, basic(ADMIN.email, ADMIN.password));
      expect(res.status).toBeLessThan(500);
    },
  );

  it('never writes a password or token into the log', async () => {
    const admin = basic(ADMIN.email, ADMIN.password);
    const sa = await call(o2.url, '/api/default/service_accounts', {
      auth: admin,
      json: { email: 'log-sa@example.com' },
    });
    expect(sa.status).toBe(200);
    const { token } = (
      await call(o2.url, '/api/default/service_accounts/log-sa@example.com', { auth: admin })
    ).body as { token: string };
    const made = await call(o2.url, '/api/default/ingestion-tokens', {
      auth: admin,
      json: { name: 'logcheck' },
    });
    const ingestToken = (made.body as { data: { token: string } }).data.token;
    const rum = (await call(o2.url, '/api/default/rumtoken', { auth: admin })).body as {
      data: { rum_token: string };
    };
    // Used right and wrong, so both the success and the refusal paths log what they log.
    await call(o2.url, '/api/default/streams', { auth: basic('log-sa@example.com', token) });
    await call(o2.url, '/api/default/streams', { auth: basic('log-sa@example.com', 'Wrong#1') });
    await call(o2.url, '/api/default/x/_json', { auth: basic('', ingestToken), json: [{ a: 1 }] });
    await call(o2.url, '/api/other/x/_json', { auth: basic('', ingestToken), json: [{ a: 1 }] });
    const secrets = [ADMIN.password, VIEWER.password, OUTSIDER.password, token, ingestToken];
    const log = o2.logs.join('\n');
    expect(log).toContain('request refused');
    for (const secret of [...secrets, rum.data.rum_token]) expect(log).not.toContain(secret);
  });

  it('_meta node list and cluster info answer 403 outside _meta and to non-admins', async () => {
    for (const path of ['/api/default/node/list', '/api/default/cluster/info']) {
      expect((await call(o2.url, path)).status).toBe(401);
      expect((await call(o2.url, path, { auth: rootAuth() })).status).toBe(403);
      expect((await call(o2.url, path, { auth: basic(ADMIN.email, ADMIN.password) })).status).toBe(
        403,
      );
    }
    expect((await call(o2.url, '/api/_meta/cluster/info', { auth: rootAuth() })).status).toBe(200);
    const outsider = basic(OUTSIDER.email, OUTSIDER.password);
    expect((await call(o2.url, '/api/_meta/cluster/info', { auth: outsider })).status).toBe(403);
  });
});
