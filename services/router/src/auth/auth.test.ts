import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orgContext } from './auth-context.js';
import {
  ROOT_EMAIL,
  ROOT_PASSWORD,
  basic,
  call,
  makeDbDir,
  rootAuth,
  startRouter,
} from '../test-support/start-router.js';
import type { StartedRouter } from '../test-support/start-router.js';

const UNAUTHORIZED = { code: 401, message: 'Unauthorized Access' };
const FORBIDDEN = { code: 403, message: 'Unauthorized Access' };
const MEMBER = { email: 'member@example.com', password: 'Memberpass#1' };

describe('authentication and org access', () => {
  let dir: { path: string; remove(): Promise<void> };
  let o2: StartedRouter;
  let rootPasscode: string;
  const memberAuth = basic(MEMBER.email, MEMBER.password);

  beforeAll(async () => {
    dir = await makeDbDir();
    o2 = await startRouter(dir.path, {
      extend: ({ api }) => {
        // A stand-in on an ingestion route shape the router does not serve itself: proves what
        // the auth middleware let through (the real `_json` answers with the ingester's body).
        api.post('/:org/:stream/_json_arrow', (req, res) => {
          const { user, method, org, role } = orgContext(req);
          res.json({ email: user.email, method, org, role });
        });
      },
    });
    const passcode = await call(o2.url, '/api/default/passcode', { auth: rootAuth() });
    rootPasscode = (passcode.body as { data: { passcode: string } }).data.passcode;
    await call(o2.url, '/api/organizations', { auth: rootAuth(), json: { name: 'other org' } });
    await call(o2.url, '/api/default/users', {
      auth: rootAuth(),
      json: { ...MEMBER, first_name: 'M', last_name: 'Ember', role: 'user' },
    });
  });
  afterAll(async () => {
    await o2.close();
    await dir.remove();
  });

  it("lists root in default with root's Basic credentials", async () => {
    const res = await call(o2.url, '/api/default/users', { auth: rootAuth() });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-api-node')).toBe('router-test-1');
    const data = (res.body as { data: Array<{ email: string; role: string }> }).data;
    expect(data).toContainEqual(expect.objectContaining({ email: ROOT_EMAIL, role: 'root' }));
  });

  it('answers 401 to a wrong, empty or missing password', async () => {
    for (const auth of [basic(ROOT_EMAIL, 'Wrongpass#123'), basic(ROOT_EMAIL, ''), undefined]) {
      const res = await call(o2.url, '/api/default/users', auth === undefined ? {} : { auth });
      expect(res.status).toBe(401);
      expect(res.body).toEqual(UNAUTHORIZED);
      expect(res.headers.get('x-api-node')).toBe('router-test-1');
    }
    const bearer = await call(o2.url, '/api/default/users', { auth: 'Bearer abc' });
    expect(bearer.status).toBe(401);
    const unknown = await call(o2.url, '/api/default/users', {
      auth: basic('no@example.com', 'X#1abcdef'),
    });
    expect(unknown.status).toBe(401);
  });

  it('accepts e-mails case-insensitively', async () => {
    const res = await call(o2.url, '/api/default/users', {
      auth: basic('ROOT@Example.com', ROOT_PASSWORD),
    });
    expect(res.status).toBe(200);
  });

  it('gives a member 403 on an org they are not in, whether or not it exists', async () => {
    const existing = await call(o2.url, '/api/other_org/users', { auth: memberAuth });
    const missing = await call(o2.url, '/api/no_such_org/users', { auth: memberAuth });
    expect([existing.status, existing.body]).toEqual([403, FORBIDDEN]);
    expect([missing.status, missing.body]).toEqual([403, FORBIDDEN]);
    const own = await call(o2.url, '/api/default/users', { auth: memberAuth });
    expect(own.status).toBe(200);
  });

  it('lets root into any org', async () => {
    const res = await call(o2.url, '/api/other_org/users', { auth: rootAuth() });
    expect(res.status).toBe(200);
  });

  it('accepts a passcode on ingestion routes of its own org only', async () => {
    const passcodeAuth = basic(ROOT_EMAIL, rootPasscode);
    // This router has no ingester: a 503 after auth proves auth let the passcode through.
    const bulk = await call(o2.url, '/api/default/_bulk', { auth: passcodeAuth, body: '{}' });
    expect([bulk.status, bulk.body]).toEqual([
      503,
      { code: 503, message: 'No ingester is available' },
    ]);
    const json = await call(o2.url, '/api/default/k8s_logs/_json_arrow', {
      auth: passcodeAuth,
      json: [],
    });
    expect(json.status).toBe(200);
    expect(json.body).toEqual({
      email: ROOT_EMAIL,
      method: 'passcode',
      org: 'default',
      role: 'root',
    });

    const users = await call(o2.url, '/api/default/users', { auth: passcodeAuth });
    expect([users.status, users.body]).toEqual([401, UNAUTHORIZED]);
    const otherOrg = await call(o2.url, '/api/other_org/k8s_logs/_json_arrow', {
      auth: passcodeAuth,
      json: [],
    });
    expect(otherOrg.status).toBe(401);
    const readStream = await call(o2.url, '/api/default/logs/_values', { auth: passcodeAuth });
    expect(readStream.status).toBe(401);
  });

  it("accepts the member's own passcode on their org's ingestion route", async () => {
    const mine = await call(o2.url, '/api/default/passcode', { auth: memberAuth });
    const { user, passcode } = (mine.body as { data: { user: string; passcode: string } }).data;
    expect(user).toBe(MEMBER.email);
    const res = await call(o2.url, '/api/default/app/_json_arrow', {
      auth: basic(MEMBER.email, passcode),
      json: [],
    });
    expect(res.body).toMatchObject({ method: 'passcode', role: 'user' });
    // Another user's passcode does not authenticate this user.
    const swapped = await call(o2.url, '/api/default/app/_json_arrow', {
      auth: basic(MEMBER.email, rootPasscode),
      json: [],
    });
    expect(swapped.status).toBe(401);
  });

  it('also accepts the password on ingestion routes', async () => {
    const res = await call(o2.url, '/api/default/app/_json_arrow', { auth: rootAuth(), json: [] });
    expect(res.body).toMatchObject({ method: 'password', role: 'root' });
  });

  it('requires auth on /node and answers 404 JSON after it', async () => {
    expect((await call(o2.url, '/node/status')).status).toBe(401);
    const res = await call(o2.url, '/node/status', { auth: rootAuth() });
    expect([res.status, res.body]).toEqual([404, { code: 404, message: 'Not Found' }]);
  });

  it('logs in with a session cookie that works until logout', async () => {
    const bad = await call(o2.url, '/auth/login', { json: { name: ROOT_EMAIL, password: 'nope' } });
    expect([bad.status, bad.body]).toEqual([
      401,
      { status: false, message: 'Invalid credentials' },
    ]);

    const login = await call(o2.url, '/auth/login', {
      json: { name: ROOT_EMAIL, password: ROOT_PASSWORD },
    });
    expect([login.status, login.body]).toEqual([200, { status: true, message: '' }]);
    const setCookie = login.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(
      /^auth_tokens=[^;]+; HttpOnly; Path=\/; SameSite=Lax; Max-Age=2592000$/,
    );
    expect(setCookie).not.toContain(Buffer.from(ROOT_PASSWORD).toString('base64'));
    const cookie = setCookie.split(';')[0] ?? '';
    const value = cookie.slice('auth_tokens='.length);
    const token = JSON.parse(Buffer.from(value, 'base64').toString('utf8')) as {
      access_token: string;
    };
    expect(token.access_token).toMatch(/^session [0-9a-f]{64}\./);
    expect(token.access_token).not.toContain(ROOT_PASSWORD);

    const withCookie = await call(o2.url, '/api/default/users', { headers: { cookie } });
    expect(withCookie.status).toBe(200);

    const logout = await call(o2.url, '/config/logout', { headers: { cookie } });
    expect(logout.status).toBe(200);
    expect(logout.headers.get('set-cookie')).toMatch(/^auth_tokens=; .*Max-Age=0/);
    const after = await call(o2.url, '/api/default/users', { headers: { cookie } });
    expect(after.status).toBe(401);
    const forged = await call(o2.url, '/api/default/users', {
      headers: { cookie: 'auth_tokens=bm90IGEgdG9rZW4=' },
    });
    expect(forged.status).toBe(401);
  });

  it('ends sessions and Basic access when the password changes', async () => {
    const user = { email: 'changer@example.com', password: 'Firstpass#1' };
    await call(o2.url, '/api/default/users', {
      auth: rootAuth(),
      json: { ...user, role: 'admin' },
    });
    const login = await call(o2.url, '/auth/login', {
      json: { name: user.email, password: user.password },
    });
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    expect((await call(o2.url, '/api/default/users', { headers: { cookie } })).status).toBe(200);
    const oldAuth = basic(user.email, user.password);
    expect((await call(o2.url, '/api/default/users', { auth: oldAuth })).status).toBe(200);

    const change = await call(o2.url, `/api/default/users/${user.email}`, {
      method: 'PUT',
      auth: oldAuth,
      json: { change_password: true, old_password: user.password, new_password: 'Secondpass#2' },
    });
    expect(change.status).toBe(200);
    expect((await call(o2.url, '/api/default/users', { headers: { cookie } })).status).toBe(401);
    expect((await call(o2.url, '/api/default/users', { auth: oldAuth })).status).toBe(401);
    const newAuth = basic(user.email, 'Secondpass#2');
    expect((await call(o2.url, '/api/default/users', { auth: newAuth })).status).toBe(200);
  });

  it('rejects a deleted user at once', async () => {
    const user = { email: 'gone@example.com', password: 'Gonepass#123' };
    await call(o2.url, '/api/default/users', {
      auth: rootAuth(),
      json: { ...user, role: 'admin' },
    });
    const auth = basic(user.email, user.password);
    expect((await call(o2.url, '/api/default/users', { auth })).status).toBe(200);
    const removed = await call(o2.url, `/api/default/users/${user.email}`, {
      method: 'DELETE',
      auth: rootAuth(),
    });
    expect(removed.status).toBe(200);
    expect(await o2.store.users.get(user.email)).toBeUndefined();
    expect((await call(o2.url, '/api/default/users', { auth })).status).toBe(401);
  });
});
