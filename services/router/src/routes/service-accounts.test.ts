import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  apiTokenSchema,
  bulkDeleteResponseSchema,
  serviceAccountListSchema,
} from '@o2/api-schemas';
import { basic, call, makeDbDir, rootAuth, startRouter } from '../test-support/start-router.js';
import type { StartedRouter } from '../test-support/start-router.js';

const ADMIN = { email: 'saadmin@example.com', password: 'Adminpass#1' };
const MEMBER = { email: 'samember@example.com', password: 'Memberpass#1' };

describe('/api/{org}/service_accounts', () => {
  let dir: { path: string; remove(): Promise<void> };
  let o2: StartedRouter;
  const admin = basic(ADMIN.email, ADMIN.password);
  const member = basic(MEMBER.email, MEMBER.password);

  beforeAll(async () => {
    dir = await makeDbDir();
    o2 = await startRouter(dir.path);
    for (const [who, role] of [
      [ADMIN, 'admin'],
      [MEMBER, 'viewer'],
    ] as const)
      expect(
        (await call(o2.url, '/api/default/users', { auth: rootAuth(), json: { ...who, role } }))
          .status,
      ).toBe(200);
    await call(o2.url, '/api/organizations', {
      auth: rootAuth(),
      json: { name: 'Other', identifier: 'other' },
    });
  });
  afterAll(async () => {
    await o2.close();
    await dir.remove();
  });

  const create = (json: unknown, auth = admin, org = 'default') =>
    call(o2.url, `/api/${org}/service_accounts`, { auth, json });
  const tokenOf = async (email: string, org = 'default') => {
    const res = await call(o2.url, `/api/${org}/service_accounts/${email}`, { auth: admin });
    expect(res.status).toBe(200);
    return apiTokenSchema.parse(res.body);
  };

  it('creates a service account and lists it with its token', async () => {
    const res = await create({ email: 'Bot@Example.com', first_name: 'CI', last_name: 'Bot' });
    expect([res.status, res.body]).toEqual([
      200,
      { code: 200, message: 'Service Account created successfully' },
    ]);
    const listed = await call(o2.url, '/api/default/service_accounts', { auth: admin });
    const { data } = serviceAccountListSchema.parse(listed.body);
    expect(data).toHaveLength(1);
    expect(data[0]).toMatchObject({
      email: 'bot@example.com',
      first_name: 'CI',
      last_name: 'Bot',
      role: 'service_account',
    });
    expect(data[0]?.token).toBe((await tokenOf('bot@example.com')).token);
    // The users list shows it with its role, as O2's does.
    const users = await call(o2.url, '/api/default/users', { auth: admin });
    expect(JSON.stringify(users.body)).toContain('"role":"service_account"');
  });

  it('authenticates `email:token` on every route of its org, and nowhere else', async () => {
    const { user, token } = await tokenOf('bot@example.com');
    expect(user).toBe('bot@example.com');
    const auth = basic(user, token);
    expect((await call(o2.url, '/api/default/streams', { auth })).status).toBe(200);
    const ingest = await call(o2.url, '/api/default/sa_stream/_json', {
      auth,
      json: [{ a: 1 }],
    });
    // No ingester is wired here: the call got past authentication to the ingest service (503).
    expect(ingest.status).toBe(503);
    expect((await call(o2.url, '/api/other/streams', { auth })).status).toBe(401);
    expect((await call(o2.url, '/api/organizations', { auth })).status).toBe(401);
    expect(
      (await call(o2.url, '/api/default/streams', { auth: basic(user, 'wrong') })).status,
    ).toBe(401);
  });

  it('renames, rotates the token (old one refused) and validates rotateToken', async () => {
    const before = await tokenOf('bot@example.com');
    const renamed = await call(o2.url, '/api/default/service_accounts/bot@example.com', {
      method: 'PUT',
      auth: admin,
      json: { first_name: 'Build', last_name: 'Robot' },
    });
    expect(renamed.status).toBe(200);
    expect((await o2.store.users.get('bot@example.com'))?.firstName).toBe('Build');

    const rotated = await call(
      o2.url,
      '/api/default/service_accounts/bot@example.com?rotateToken=true',
      { method: 'PUT', auth: admin },
    );
    expect(rotated.status).toBe(200);
    const after = apiTokenSchema.parse(rotated.body);
    expect(after.token).not.toBe(before.token);
    const old = basic(before.user, before.token);
    expect((await call(o2.url, '/api/default/streams', { auth: old })).status).toBe(401);
    const fresh = basic(after.user, after.token);
    expect((await call(o2.url, '/api/default/streams', { auth: fresh })).status).toBe(200);

    const bad = await call(
      o2.url,
      '/api/default/service_accounts/bot@example.com?rotateToken=maybe',
      {
        method: 'PUT',
        auth: admin,
      },
    );
    expect(bad.status).toBe(400);
  });

  it('refuses bad e-mails and existing users with 400, unknown accounts with 404', async () => {
    expect((await create({ email: 'not-an-email' })).status).toBe(400);
    expect((await create({ email: MEMBER.email })).status).toBe(400);
    // A person is not a service account.
    const person = await call(o2.url, `/api/default/service_accounts/${MEMBER.email}`, {
      auth: admin,
    });
    expect([person.status, person.body]).toEqual([
      404,
      { code: 404, message: 'Service Account not found' },
    ]);
  });

  it('is for admins and root of the org only, and never crosses orgs', async () => {
    expect((await call(o2.url, '/api/default/service_accounts', { auth: member })).status).toBe(
      403,
    );
    expect((await create({ email: 'x@example.com' }, member)).status).toBe(403);
    expect((await call(o2.url, '/api/other/service_accounts', { auth: admin })).status).toBe(403);
    // Root sees none of default's accounts in `other`.
    const other = await call(o2.url, '/api/other/service_accounts', { auth: rootAuth() });
    expect(serviceAccountListSchema.parse(other.body).data).toEqual([]);
    const cross = await call(o2.url, '/api/other/service_accounts/bot@example.com', {
      auth: rootAuth(),
    });
    expect(cross.status).toBe(404);
  });

  it('deletes one account, and in bulk with per-id outcomes', async () => {
    await create({ email: 'bot2@example.com' });
    await create({ email: 'bot3@example.com' });
    const one = await call(o2.url, '/api/default/service_accounts/bot@example.com', {
      method: 'DELETE',
      auth: admin,
    });
    expect(one.status).toBe(200);
    expect(await o2.store.users.get('bot@example.com')).toBeUndefined();
    const bulk = await call(o2.url, '/api/default/service_accounts/bulk', {
      method: 'DELETE',
      auth: admin,
      json: { ids: ['bot2@example.com', 'bot3@example.com', MEMBER.email] },
    });
    expect(bulk.status).toBe(200);
    expect(bulkDeleteResponseSchema.parse(bulk.body)).toEqual({
      successful: ['bot2@example.com', 'bot3@example.com'],
      unsuccessful: [MEMBER.email],
      err: 'Service Account not found',
    });
    // The person named by mistake is untouched.
    expect(await o2.store.users.getMembership('default', MEMBER.email)).toBeDefined();
    const bad = await call(o2.url, '/api/default/service_accounts/bulk', {
      method: 'DELETE',
      auth: admin,
      json: { ids: 'all' },
    });
    expect(bad.status).toBe(400);
  });
});
