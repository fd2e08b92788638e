import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ROOT_EMAIL,
  ROOT_PASSWORD,
  basic,
  call,
  makeDbDir,
  rootAuth,
  startRouter,
} from './test-support/start-router.js';
import type { StartedRouter } from './test-support/start-router.js';

describe('router HTTP behaviour', () => {
  let dir: { path: string; remove(): Promise<void> };
  let o2: StartedRouter;

  beforeAll(async () => {
    dir = await makeDbDir();
    o2 = await startRouter(dir.path, { env: { ZO_PAYLOAD_LIMIT: '1024' } });
  });
  afterAll(async () => {
    await o2.close();
    await dir.remove();
  });

  it('serves /healthz (GET and HEAD) and /readyz without auth', async () => {
    const health = await call(o2.url, '/healthz');
    expect([health.status, health.body]).toEqual([200, { status: 'ok' }]);
    expect((await call(o2.url, '/healthz', { method: 'HEAD' })).status).toBe(200);
    const ready = await call(o2.url, '/readyz');
    expect([ready.status, ready.body]).toEqual([200, { status: 'ok' }]);
  });

  it('sends no ETag on API answers (no body hashed per response; O2 sends none)', async () => {
    const res = await call(o2.url, '/api/organizations', { auth: rootAuth() });
    expect(res.status).toBe(200);
    expect(res.headers.get('etag')).toBeNull();
  });

  it('serves the UI bootstrap /config without auth', async () => {
    const res = await call(o2.url, '/config');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      instance: 'router-test-1',
      commit_hash: '',
      build_type: 'opensource',
      default_fts_keys: [
        'log',
        'message',
        'msg',
        'content',
        'data',
        'events',
        'body',
        'json',
        'error',
      ],
      telemetry_enabled: false,
      timestamp_column: '_timestamp',
      native_login_enabled: true,
      sso_enabled: false,
      rbac_enabled: false,
      meta_org: '_meta',
      web_url: 'http://localhost:5080',
      query_default_limit: 1000,
      ingest_flatten_level: 3,
      streaming_enabled: true,
    });
    const functions = (res.body as { default_functions: Array<{ name: string; text: string }> })
      .default_functions;
    expect(functions).toHaveLength(11);
    expect(functions).toContainEqual({ name: 're_matches', text: "re_matches(field, 'pattern')" });
    expect(typeof (res.body as { version: unknown }).version).toBe('string');
    expect(res.headers.get('x-api-node')).toBeNull();
  });

  it('answers 413 above ZO_PAYLOAD_LIMIT, 400 for malformed JSON, 415 without a JSON type', async () => {
    const big = await call(o2.url, '/api/default/users', {
      auth: rootAuth(),
      json: {
        email: 'big@example.com',
        password: 'Bigpass#1',
        role: 'user',
        pad: 'x'.repeat(2000),
      },
    });
    expect(big.status).toBe(413);
    expect((big.body as { code: number }).code).toBe(413);

    const malformed = await call(o2.url, '/api/default/users', {
      auth: rootAuth(),
      body: '{"email": ',
      headers: { 'content-type': 'application/json' },
    });
    expect(malformed.status).toBe(400);
    expect((malformed.body as { code: number }).code).toBe(400);

    const text = await call(o2.url, '/api/default/users', {
      auth: rootAuth(),
      body: '{"email":"t@example.com"}',
      headers: { 'content-type': 'text/plain' },
    });
    expect([text.status, (text.body as { code: number }).code]).toEqual([415, 415]);
    const untyped = await call(o2.url, '/auth/login', { method: 'POST' });
    expect(untyped.status).toBe(415);
    const notObject = await call(o2.url, '/auth/login', { json: [1, 2] });
    expect(notObject.status).toBe(400);
    expect(await o2.store.users.get('big@example.com')).toBeUndefined();
  });

  it('answers JSON 404 for unknown paths, after auth under /api', async () => {
    expect((await call(o2.url, '/api/default/nothing_here')).status).toBe(401);
    const api = await call(o2.url, '/api/default/nothing_here', { auth: rootAuth() });
    expect([api.status, api.body]).toEqual([404, { code: 404, message: 'Not Found' }]);
    const top = await call(o2.url, '/nothing_here');
    expect([top.status, top.body]).toEqual([404, { code: 404, message: 'Not Found' }]);
  });

  it('counts requests by route pattern on /metrics, with zo_ process metrics', async () => {
    await call(o2.url, '/api/default/users', { auth: rootAuth() });
    await call(o2.url, '/api/default/users', { auth: basic(ROOT_EMAIL, 'Wrong#pass1') });
    const res = await call(o2.url, '/metrics');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(res.text).toContain(
      'zo_http_incoming_requests{endpoint="/api/:org/users",method="GET",status="200"}',
    );
    expect(res.text).toContain(
      'zo_http_incoming_requests{endpoint="unmatched",method="GET",status="401"}',
    );
    expect(res.text).toMatch(
      /zo_http_response_time_bucket\{le="[^"]+",endpoint="\/api\/:org\/users"/,
    );
    expect(res.text).toContain('zo_process_cpu_user_seconds_total');
    expect(res.text).not.toContain('/api/default/users');
  });

  it('labels a failing route by its pattern too', async () => {
    await call(o2.url, '/api/default/users/nobody@example.com', {
      method: 'DELETE',
      auth: rootAuth(),
    });
    const res = await call(o2.url, '/metrics');
    expect(res.text).toContain(
      'zo_http_incoming_requests{endpoint="/api/:org/users/:email",method="DELETE",status="404"}',
    );
  });

  it('never writes credentials to the log', async () => {
    await call(o2.url, '/api/default/users', { auth: rootAuth() });
    await call(o2.url, '/auth/login', { json: { name: ROOT_EMAIL, password: ROOT_PASSWORD } });
    const log = o2.logs.join('\n');
    // The access line names the request (no headers at all); the rest never holds them either.
    expect(log).toContain('"url":"/api/default/users"');
    expect(log).not.toContain(rootAuth().slice('Basic '.length));
    expect(log).not.toMatch(/basic [A-Za-z0-9+/=]{8,}/i);
    expect(log).not.toContain(ROOT_PASSWORD);
    expect(log).not.toContain('auth_tokens=');
  });

  it('allows CORS with credentials from the web URL origin only', async () => {
    const allowed = await call(o2.url, '/config', { headers: { origin: 'http://localhost:5080' } });
    expect(allowed.headers.get('access-control-allow-origin')).toBe('http://localhost:5080');
    expect(allowed.headers.get('access-control-allow-credentials')).toBe('true');
    const other = await call(o2.url, '/config', { headers: { origin: 'http://evil.example' } });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
    const preflight = await call(o2.url, '/api/default/users', {
      method: 'OPTIONS',
      headers: {
        origin: 'http://localhost:5080',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization, content-type, x-openobserve-client',
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-methods')).toContain('DELETE');
    expect(preflight.headers.get('access-control-allow-headers')).toContain('x-openobserve-client');
  });
});

describe('router settings and lifecycle', () => {
  it('mounts everything under ZO_BASE_URI and can turn /metrics off', async () => {
    const dir = await makeDbDir();
    const o2 = await startRouter(dir.path, {
      env: {
        ZO_BASE_URI: '/o2/',
        ZO_PROMETHEUS_ENABLED: 'false',
        ZO_COOKIE_SAME_SITE_LAX: 'false',
        ZO_COOKIE_SECURE_ONLY: 'true',
        ZO_COOKIE_MAX_AGE: '60',
      },
    });
    try {
      expect((await call(o2.url, '/o2/healthz')).status).toBe(200);
      expect((await call(o2.url, '/healthz')).status).toBe(404);
      expect((await call(o2.url, '/o2/api/default/users', { auth: rootAuth() })).status).toBe(200);
      const metrics = await call(o2.url, '/o2/metrics');
      expect([metrics.status, metrics.text]).toEqual([200, '']);
      const login = await call(o2.url, '/o2/auth/login', {
        json: { name: ROOT_EMAIL, password: ROOT_PASSWORD },
      });
      expect(login.headers.get('set-cookie')).toMatch(/SameSite=Strict; Max-Age=60; Secure$/);
    } finally {
      await o2.close();
      await dir.remove();
    }
  });

  it('keeps users, orgs and passcodes across a restart on the same SQLite file', async () => {
    const dir = await makeDbDir();
    const user = { email: 'keeper@example.com', password: 'Keeperpass#1' };
    const first = await startRouter(dir.path);
    await call(first.url, '/api/organizations', { auth: rootAuth(), json: { name: 'kept' } });
    await call(first.url, '/api/kept/users', {
      auth: rootAuth(),
      json: { ...user, role: 'admin' },
    });
    const rotated = await call(first.url, '/api/kept/passcode', {
      method: 'PUT',
      auth: basic(user.email, user.password),
    });
    await first.close();

    const second = await startRouter(dir.path);
    try {
      const auth = basic(user.email, user.password);
      const users = await call(second.url, '/api/kept/users', { auth });
      expect(users.status).toBe(200);
      const passcode = await call(second.url, '/api/kept/passcode', { auth });
      expect(passcode.body).toEqual(rotated.body);
      const orgs = await call(second.url, '/api/organizations', { auth });
      expect(
        (orgs.body as { data: Array<{ identifier: string }> }).data.map((o) => o.identifier),
      ).toContain('kept');
    } finally {
      await second.close();
      await dir.remove();
    }
  });

  it('reports not ready once the metadata store is gone', async () => {
    const dir = await makeDbDir();
    const o2 = await startRouter(dir.path);
    try {
      await o2.store.close();
      const res = await call(o2.url, '/readyz');
      expect(res.status).toBe(503);
      expect(res.body).toEqual({
        status: 'degraded',
        reasons: [expect.stringMatching(/^metadata store unreachable: /) as string],
      });
      expect((await call(o2.url, '/healthz')).status).toBe(200);
      const api = await call(o2.url, '/api/default/users', { auth: rootAuth() });
      // The store reports UNAVAILABLE; the caller sees O2's body, never a stack trace.
      expect(api.status).toBe(503);
      expect(api.body).toEqual({ code: 503, message: expect.any(String) as string });
      expect(api.text).not.toMatch(/\bat \S+ \(/);
    } finally {
      await o2.close().catch(() => undefined);
      await dir.remove();
    }
  });
});
