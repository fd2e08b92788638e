import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { basic, call, makeDbDir, rootAuth, startRouter } from '../test-support/start-router.js';
import type { StartedRouter } from '../test-support/start-router.js';
import { seedMembers } from '../test-support/seed-members.js';

const VICTIM = { email: 'victim@example.com', password: 'Victimpass#1' };
const EVIL = { email: 'eviladmin@example.com', password: 'Evilpass#123' };
const BOT = 'bot@example.com';

/**
 * A service account's token is its membership passcode, which its org's admins read. So an
 * org admin must not turn an existing person into one (and read their token, acting as them),
 * nor pull another org's service account in (and edit its global names).
 */
describe('service accounts are identities of their own', () => {
  let dir: { path: string; remove(): Promise<void> };
  let o2: StartedRouter;
  const evil = basic(EVIL.email, EVIL.password);
  const users = (org: string, path = '') => `/api/${org}/users${path}`;

  beforeAll(async () => {
    dir = await makeDbDir();
    o2 = await startRouter(dir.path);
    await seedMembers(o2.url, 'default', [{ ...VICTIM, role: 'viewer' }]);
    await seedMembers(o2.url, 'evil', [{ ...EVIL, role: 'admin' }]);
    const bot = await call(o2.url, '/api/default/service_accounts', {
      auth: rootAuth(),
      json: { email: BOT },
    });
    expect(bot.status).toBe(200);
  });
  afterAll(async () => {
    await o2.close();
    await dir.remove();
  });

  it('refuses to give an existing user the service_account role, by every path', async () => {
    const created = await call(o2.url, users('evil'), {
      auth: evil,
      json: { email: VICTIM.email, password: 'Whatever#123', role: 'service_account' },
    });
    expect(created.status).toBe(400);
    expect(created.body).toMatchObject({ code: 400 });
    const added = await call(o2.url, users('evil', `/${VICTIM.email}`), {
      auth: evil,
      json: { role: 'service_account' },
    });
    expect(added.status).toBe(400);
    expect(await o2.store.users.getMembership('evil', VICTIM.email)).toBeUndefined();

    // Added as a plain member, the role still cannot be switched afterwards.
    const plain = await call(o2.url, users('evil', `/${VICTIM.email}`), {
      auth: evil,
      json: { role: 'viewer' },
    });
    expect(plain.status).toBe(200);
    const switched = await call(o2.url, users('evil', `/${VICTIM.email}`), {
      method: 'PUT',
      auth: evil,
      json: { role: 'service_account' },
    });
    expect([switched.status, switched.body]).toMatchObject([400, { code: 400 }]);
    expect((await o2.store.users.getMembership('evil', VICTIM.email))?.role).toBe('viewer');

    // So the service-accounts routes neither show the victim's token nor rename them.
    const token = await call(o2.url, `/api/evil/service_accounts/${VICTIM.email}`, { auth: evil });
    expect(token.status).toBe(404);
    const renamed = await call(o2.url, `/api/evil/service_accounts/${VICTIM.email}`, {
      method: 'PUT',
      auth: evil,
      json: { first_name: 'Owned' },
    });
    expect(renamed.status).toBe(404);
    expect((await o2.store.users.get(VICTIM.email))?.firstName).not.toBe('Owned');
  });

  it("refuses to add another org's service account, or to demote one into a user", async () => {
    const created = await call(o2.url, users('evil'), {
      auth: evil,
      json: { email: BOT, password: 'Whatever#123', role: 'admin' },
    });
    expect(created.status).toBe(400);
    const added = await call(o2.url, users('evil', `/${BOT}`), {
      auth: evil,
      json: { role: 'viewer' },
    });
    expect(added.status).toBe(400);
    expect(await o2.store.users.listMemberships(BOT)).toHaveLength(1);

    const demoted = await call(o2.url, users('default', `/${BOT}`), {
      method: 'PUT',
      auth: rootAuth(),
      json: { role: 'viewer' },
    });
    expect(demoted.status).toBe(400);
    expect((await o2.store.users.getMembership('default', BOT))?.role).toBe('service_account');
  });

  it('still lets root create a brand-new user with the service_account role', async () => {
    const res = await call(o2.url, users('default'), {
      auth: rootAuth(),
      json: { email: 'fresh-sa@example.com', password: 'Freshpass#123', role: 'service_account' },
    });
    expect(res.status).toBe(200);
  });
});
