import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rumTokenSchema, shortUrlResponseSchema } from '@o2/api-schemas';
import { basic, call, makeDbDir, rootAuth, startRouter } from '../test-support/start-router.js';
import type { StartedRouter } from '../test-support/start-router.js';

const MEMBER = { email: 'shorty@example.com', password: 'Shortpass#1' };
const TARGET = 'http://localhost:5080/web/logs?org_identifier=default&query=bGV2ZWw9ZXJyb3I';

describe('/api/{org}/short (short URLs) and /api/{org}/rumtoken', () => {
  let dir: { path: string; remove(): Promise<void> };
  let o2: StartedRouter;
  const member = basic(MEMBER.email, MEMBER.password);

  beforeAll(async () => {
    dir = await makeDbDir();
    o2 = await startRouter(dir.path, { env: { ZO_WEB_URL: 'https://o2.example.com' } });
    await call(o2.url, '/api/default/users', {
      auth: rootAuth(),
      json: { ...MEMBER, role: 'viewer' },
    });
    await call(o2.url, '/api/organizations', {
      auth: rootAuth(),
      json: { name: 'Other', identifier: 'other' },
    });
  });
  afterAll(async () => {
    await o2.close();
    await dir.remove();
  });

  const shorten = (json: unknown, auth = member, org = 'default') =>
    call(o2.url, `/api/${org}/short`, { auth, json });

  it('shortens a URL to a stable link under ZO_WEB_URL that redirects back (302)', async () => {
    const res = await shorten({ original_url: TARGET });
    expect(res.status).toBe(200);
    const { short_url } = shortUrlResponseSchema.parse(res.body);
    expect(short_url).toMatch(/^https:\/\/o2\.example\.com\/api\/default\/short\/[0-9a-f]{16}$/);
    const again = shortUrlResponseSchema.parse((await shorten({ original_url: TARGET })).body);
    expect(again.short_url).toBe(short_url);

    const path = new URL(short_url).pathname;
    const follow = await fetch(`${o2.url}${path}`, {
      headers: { authorization: member },
      redirect: 'manual',
    });
    expect(follow.status).toBe(302);
    expect(follow.headers.get('location')).toBe(TARGET);
  });

  it('is 404 for an unknown id and in another org; 400 for what is not an http(s) URL', async () => {
    const { short_url } = shortUrlResponseSchema.parse(
      (await shorten({ original_url: 'https://a.example/x' })).body,
    );
    const id = short_url.slice(short_url.lastIndexOf('/') + 1);
    const elsewhere = await call(o2.url, `/api/other/short/${id}`, { auth: rootAuth() });
    expect([elsewhere.status, elsewhere.body]).toEqual([
      404,
      { code: 404, message: 'Short URL not found' },
    ]);
    expect(
      (await call(o2.url, '/api/default/short/0000000000000000', { auth: member })).status,
    ).toBe(404);
    expect((await call(o2.url, '/api/default/short/..%2F..', { auth: member })).status).toBe(404);
    for (const json of [
      { original_url: 'javascript:alert(1)' },
      { original_url: 'not a url' },
      { original_url: `https://a.example/${'x'.repeat(9000)}` },
      {},
    ])
      expect((await shorten(json)).status).toBe(400);
  });

  it('needs membership of the org (403) and authentication (401)', async () => {
    expect((await shorten({ original_url: TARGET }, member, 'other')).status).toBe(403);
    expect(
      (await call(o2.url, '/api/default/short', { json: { original_url: TARGET } })).status,
    ).toBe(401);
  });

  it('gives each member a RUM token per org, kept until rotated', async () => {
    const first = await call(o2.url, '/api/default/rumtoken', { auth: member });
    expect(first.status).toBe(200);
    const token = rumTokenSchema.parse(first.body).data;
    expect(token.user).toBe(MEMBER.email);
    expect(token.rum_token).toMatch(/^rum[A-Za-z0-9]{16}$/);
    const again = rumTokenSchema.parse(
      (await call(o2.url, '/api/default/rumtoken', { auth: member })).body,
    );
    expect(again.data.rum_token).toBe(token.rum_token);
    for (const method of ['PUT', 'POST']) {
      const rotated = await call(o2.url, '/api/default/rumtoken', { method, auth: member });
      expect(rotated.status).toBe(200);
      expect(rumTokenSchema.parse(rotated.body).data.rum_token).not.toBe(token.rum_token);
    }
    const roots = rumTokenSchema.parse(
      (await call(o2.url, '/api/default/rumtoken', { auth: rootAuth() })).body,
    );
    expect(roots.data.rum_token).not.toBe(token.rum_token);
    expect((await call(o2.url, '/api/other/rumtoken', { auth: member })).status).toBe(403);
    // RUM tokens are kept apart from the public KV API.
    const keys = await call(o2.url, '/api/default/kv', { auth: rootAuth() });
    expect(keys.body).toEqual([]);
  });
});
