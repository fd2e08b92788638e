import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orgWithUser } from '../test-support/dashboard-fixtures.js';
import { call, makeDbDir, rootAuth, startRouter } from '../test-support/start-router.js';
import type { StartedRouter } from '../test-support/start-router.js';
import { startRequestRecorder } from '@o2/testing';
import type { RequestRecorder } from '@o2/testing';

const SLACK = '{"text":"{alert_name} fired {alert_count} times\\n{rows}"}';

describe('alert destinations and templates API', () => {
  let dir: { path: string; remove(): Promise<void> };
  let closed: StartedRouter;
  let open: StartedRouter;
  let hook: RequestRecorder;
  let viewer: string;
  let outsider: string;

  beforeAll(async () => {
    dir = await makeDbDir();
    const dir2 = await makeDbDir();
    closed = await startRouter(dir.path);
    open = await startRouter(dir2.path, { env: { ZO_SSRF_ALLOW_LOOPBACK: 'true' } });
    hook = await startRequestRecorder();
    viewer = await orgWithUser(closed.url, 'default', { email: 'v@acme.io', role: 'viewer' });
    outsider = await orgWithUser(closed.url, 'other', { email: 'x@other.io', role: 'admin' });
  });
  afterAll(async () => {
    await hook.stop();
    await closed.close();
    await open.close();
    await dir.remove();
  });

  const post = (o2: StartedRouter, path: string, json: unknown, auth = rootAuth()) =>
    call(o2.url, `/api/default/alerts/${path}`, { auth, json });

  it('stores templates, serves the system ones and previews a rendering', async () => {
    expect(
      await post(closed, 'templates', { name: 'slack', body: SLACK, type: 'http' }),
    ).toMatchObject({
      status: 200,
      body: { code: 200, message: 'Template saved', name: 'slack' },
    });
    const got = await call(closed.url, '/api/default/alerts/templates/slack', { auth: viewer });
    expect(got.body).toEqual({
      name: 'slack',
      body: SLACK,
      type: 'http',
      title: '',
      isDefault: false,
      isPrebuilt: false,
    });
    expect((await post(closed, 'templates', { name: 'slack', body: 'x' })).status).toBe(409);
    expect((await post(closed, 'templates', { name: 'a/b', body: 'x' })).status).toBe(400);
    expect((await post(closed, 'templates', { name: 'x' })).body).toEqual({
      code: 400,
      message: 'body must be a string',
    });
    expect((await post(closed, 'templates', { name: 'v', body: 'x' }, viewer)).status).toBe(403);
    const prebuilt = await call(closed.url, '/api/default/alerts/templates/system/prebuilt', {
      auth: viewer,
    });
    expect(
      (prebuilt.body as Array<{ name: string; isPrebuilt: boolean }>).map((t) => [
        t.name,
        t.isPrebuilt,
      ]),
    ).toContainEqual(['system-prebuilt-slack', true]);
    const preview = await post(closed, 'templates/preview', { body: SLACK });
    expect(JSON.parse((preview.body as { body: string }).body)).toEqual({
      text: 'test_alert fired 1 times\n{"level":"error","message":"test"}',
    });
    const list = await call(closed.url, '/api/default/alerts/templates', { auth: viewer });
    expect((list.body as Array<{ name: string }>).map((t) => t.name)).toEqual(['slack']);
    expect(
      (await call(closed.url, '/api/other/alerts/templates/slack', { auth: outsider })).status,
    ).toBe(404);
    expect(
      (await call(closed.url, '/api/default/alerts/templates/slack', { auth: outsider })).status,
    ).toBe(403);
  });

  it('refuses destinations to loopback and the metadata address by default', async () => {
    for (const url of [
      'http://127.0.0.1:9/hook',
      'http://169.254.169.254/latest',
      'http://localhost:9/',
      'http://[::1]:9/',
      'http://10.0.0.1/',
    ]) {
      const res = await post(closed, 'destinations', {
        name: 'inside',
        url,
        method: 'post',
        template: 'slack',
      });
      expect([url, res.status]).toEqual([url, 400]);
      expect((res.body as { message: string }).message).toMatch(
        /resolves to a (loopback|link-local|private) address/,
      );
    }
    const test = await post(closed, 'destinations/test', {
      name: 't',
      url: 'http://169.254.169.254/',
      template: 'slack',
    });
    expect(test.status).toBe(400);
    expect(hook.requests).toHaveLength(0);
  });

  it('checks the body, the module and the template', async () => {
    const bad = [
      [{ name: 'd', url: 'ftp://x/', template: 'slack' }, 'Destination url must be http or https'],
      [{ name: 'd', url: 'https://example.com/', template: 'nope' }, 'Template not found: nope'],
      [{ name: 'd', url: 'https://example.com/' }, 'Alert destination needs a template'],
      [{ name: 'd', url: '', template: 'slack' }, 'Destination url is required'],
      [
        { name: 'd', type: 'email', emails: ['not-an-email'], template: 'slack' },
        'Invalid email: not-an-email',
      ],
      [
        { name: 'd', url: 'https://example.com/', method: 'patch', template: 'slack' },
        'method must be one of "get", "post", "put"',
      ],
    ] as const;
    for (const [body, message] of bad)
      expect((await post(closed, 'destinations', body)).body).toEqual({ code: 400, message });
    const pipeline = await call(closed.url, '/api/default/alerts/destinations?module=pipeline', {
      auth: rootAuth(),
      json: { name: 'pipe', url: 'https://example.com/in' },
    });
    expect(pipeline.status).toBe(200);
    expect(
      (
        await call(closed.url, '/api/default/alerts/destinations?module=x', {
          auth: rootAuth(),
          json: {},
        })
      ).status,
    ).toBe(400);
    const list = await call(closed.url, '/api/default/alerts/destinations?module=pipeline', {
      auth: viewer,
    });
    expect(list.body).toMatchObject([
      { name: 'pipe', module: 'pipeline', url: 'https://example.com/in' },
    ]);
    const noContentType = await call(closed.url, '/api/default/alerts/destinations', {
      auth: rootAuth(),
      body: '{}',
      method: 'POST',
    });
    expect(noContentType.status).toBe(415);
  });

  it('sends a test notification to an allowed local webhook, rendered', async () => {
    await post(open, 'templates', { name: 'slack', body: SLACK });
    const saved = await post(open, 'destinations', {
      name: 'hook',
      url: `${hook.url}/in`,
      method: 'post',
      template: 'slack',
      headers: { 'x-o2': '{alert_name}' },
    });
    expect(saved.body).toEqual({ code: 200, message: 'Destination saved', name: 'hook' });
    const sent = await call(open.url, '/api/default/alerts/destinations/hook/test_send', {
      auth: rootAuth(),
      method: 'POST',
    });
    expect(sent.body).toEqual({
      code: 200,
      message: 'Test notification sent',
      status: 200,
      response: '{}',
    });
    const [got] = await hook.waitFor(() => true, 1, 5_000);
    expect(got).toMatchObject({ method: 'POST', path: '/in', headers: { 'x-o2': 'test_alert' } });
    expect(JSON.parse(got!.body.toString('utf8'))).toEqual({
      text: 'test_alert fired 1 times\n{"level":"error","message":"test"}',
    });

    const updated = await call(open.url, '/api/default/alerts/destinations/hook', {
      method: 'PUT',
      auth: rootAuth(),
      json: { url: `${hook.url}/other`, template: 'slack', method: 'put' },
    });
    expect(updated.body).toEqual({ code: 200, message: 'Destination updated', name: 'hook' });
    expect(
      (await call(open.url, '/api/default/alerts/destinations/hook', { auth: rootAuth() })).body,
    ).toMatchObject({
      name: 'hook',
      method: 'put',
      url: `${hook.url}/other`,
    });
    expect(
      (
        await call(open.url, '/api/default/alerts/templates/slack', {
          method: 'DELETE',
          auth: rootAuth(),
        })
      ).body,
    ).toEqual({
      code: 409,
      message: 'Template is in use: destination hook',
    });
    const bulk = await call(open.url, '/api/default/alerts/destinations/bulk', {
      method: 'DELETE',
      auth: rootAuth(),
      json: { ids: ['hook', 'none'] },
    });
    expect(bulk.body).toEqual({ successful: ['hook'], unsuccessful: ['none'], err: null });
    expect(
      (await call(open.url, '/api/default/alerts/destinations/hook', { auth: rootAuth() })).status,
    ).toBe(404);
    expect(
      (
        await call(open.url, '/api/default/alerts/templates/slack', {
          method: 'DELETE',
          auth: rootAuth(),
        })
      ).body,
    ).toEqual({
      code: 200,
      message: 'Template deleted',
    });
  });
});
