import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ROOT_EMAIL,
  basic,
  call,
  makeDbDir,
  rootAuth,
  startRouter,
} from '../test-support/start-router.js';
import type { StartedRouter } from '../test-support/start-router.js';

const FORBIDDEN = { code: 403, message: 'Unauthorized Access' };
const SAVED = { code: 200, message: 'User saved successfully' };
const ADMIN = { email: 'admin@example.com', password: 'Adminpass#1' };
const MEMBER = { email: 'member@example.com', password: 'Memberpass#1' };

interface ListedUser {
  email: string;
  first_name: string;
  last_name: string;
  role: string;
  is_external: boolean;
  created_at: number;
}

describe('users API', () => {
  let dir: { path: string; remove(): Promise<void> };
  let o2: StartedRouter;
  const adminAuth = basic(ADMIN.email, ADMIN.password);
  const memberAuth = basic(MEMBER.email, MEMBER.password);
  const list = async (org: string): Promise<ListedUser[]> =>
    ((await call(o2.url, `/api/${org}/users`, { auth: rootAuth() })).body as { data: ListedUser[] })
      .data;

  beforeAll(async () => {
    dir = await makeDbDir();
    o2 = await startRouter(dir.path);
    const created = await call(o2.url, '/api/default/users', {
      auth: rootAuth(),
      json: { ...ADMIN, first_name: 'Ad', last_name: 'Min', role: 'admin' },
    });
    expect([created.status, created.body]).toEqual([200, SAVED]);
  });
  afterAll(async () => {
    await o2.close();
    await dir.remove();
  });

  it('lets an admin add a member, listed in O2’s shape', async () => {
    const res = await call(o2.url, '/api/default/users', {
      auth: adminAuth,
      json: { ...MEMBER, first_name: 'Mem', last_name: 'Ber', role: 'member' },
    });
    expect([res.status, res.body]).toEqual([200, SAVED]);
    const users = await list('default');
    expect(users.map((u) => [u.email, u.role])).toEqual([
      [ADMIN.email, 'admin'],
      [MEMBER.email, 'user'],
      [ROOT_EMAIL, 'root'],
    ]);
    const member = users.find((u) => u.email === MEMBER.email);
    expect(member).toMatchObject({ first_name: 'Mem', last_name: 'Ber', is_external: false });
    expect(member?.created_at).toBeGreaterThan(1_600_000_000_000_000);
  });

  it('lets members list users but not create, change or delete others', async () => {
    expect((await call(o2.url, '/api/default/users', { auth: memberAuth })).status).toBe(200);
    const create = await call(o2.url, '/api/default/users', {
      auth: memberAuth,
      json: { email: 'x@example.com', password: 'Xpassword#1', role: 'user' },
    });
    expect([create.status, create.body]).toEqual([403, FORBIDDEN]);
    const update = await call(o2.url, `/api/default/users/${ADMIN.email}`, {
      method: 'PUT',
      auth: memberAuth,
      json: { first_name: 'Hacked' },
    });
    expect(update.status).toBe(403);
    const remove = await call(o2.url, `/api/default/users/${ADMIN.email}`, {
      method: 'DELETE',
      auth: memberAuth,
    });
    expect(remove.status).toBe(403);
    const removeSelf = await call(o2.url, `/api/default/users/${MEMBER.email}`, {
      method: 'DELETE',
      auth: memberAuth,
    });
    expect(removeSelf.status).toBe(403);
  });

  it('lets a member change their own names and password, not their role', async () => {
    const names = await call(o2.url, `/api/default/users/${MEMBER.email}`, {
      method: 'PUT',
      auth: memberAuth,
      json: { first_name: 'Mia', last_name: 'Brown', role: 'user' },
    });
    expect(names.status).toBe(200);
    expect((await o2.store.users.get(MEMBER.email))?.firstName).toBe('Mia');
    const promote = await call(o2.url, `/api/default/users/${MEMBER.email}`, {
      method: 'PUT',
      auth: memberAuth,
      json: { role: 'admin' },
    });
    expect(promote.status).toBe(403);
    const wrongOld = await call(o2.url, `/api/default/users/${MEMBER.email}`, {
      method: 'PUT',
      auth: memberAuth,
      json: { change_password: true, old_password: 'Wrong#pass1', new_password: 'Newpass#123' },
    });
    expect(wrongOld.status).toBe(400);
    const weak = await call(o2.url, `/api/default/users/${MEMBER.email}`, {
      method: 'PUT',
      auth: memberAuth,
      json: { change_password: true, old_password: MEMBER.password, new_password: 'weak' },
    });
    expect(weak.status).toBe(400);
    expect((weak.body as { message: string }).message).toMatch(/^Password must contain/);
  });

  it('lets an admin change another member’s role and names', async () => {
    const res = await call(o2.url, `/api/default/users/${MEMBER.email}`, {
      method: 'PUT',
      auth: adminAuth,
      json: { role: 'editor', last_name: 'Green' },
    });
    expect([res.status, res.body]).toEqual([
      200,
      { code: 200, message: 'User updated successfully' },
    ]);
    expect((await o2.store.users.getMembership('default', MEMBER.email))?.role).toBe('editor');
    const nothing = await call(o2.url, `/api/default/users/${MEMBER.email}`, {
      method: 'PUT',
      auth: adminAuth,
      json: {},
    });
    expect(nothing.status).toBe(400);
    const unknown = await call(o2.url, '/api/default/users/nobody@example.com', {
      method: 'PUT',
      auth: adminAuth,
      json: { first_name: 'N' },
    });
    expect(unknown.status).toBe(404);
  });

  it('protects root from admins: no demotion, no edits, no deletion', async () => {
    const demote = await call(o2.url, `/api/default/users/${ROOT_EMAIL}`, {
      method: 'PUT',
      auth: adminAuth,
      json: { role: 'user' },
    });
    expect([demote.status, demote.body]).toEqual([403, FORBIDDEN]);
    const rename = await call(o2.url, `/api/default/users/${ROOT_EMAIL}`, {
      method: 'PUT',
      auth: adminAuth,
      json: { first_name: 'Not root' },
    });
    expect(rename.status).toBe(403);
    const remove = await call(o2.url, `/api/default/users/${ROOT_EMAIL}`, {
      method: 'DELETE',
      auth: adminAuth,
    });
    expect([remove.status, remove.body]).toEqual([403, FORBIDDEN]);
    const selfDemote = await call(o2.url, `/api/default/users/${ROOT_EMAIL}`, {
      method: 'PUT',
      auth: rootAuth(),
      json: { role: 'admin' },
    });
    expect(selfDemote.status).toBe(403);
    const rootRenames = await call(o2.url, `/api/default/users/${ROOT_EMAIL}`, {
      method: 'PUT',
      auth: rootAuth(),
      json: { first_name: 'Groot', role: 'root' },
    });
    expect(rootRenames.status).toBe(200);
    expect((await list('default')).find((u) => u.email === ROOT_EMAIL)?.role).toBe('root');
  });

  it('refuses duplicates, weak passwords, bad e-mails and bad roles with 400', async () => {
    const cases: Array<[Record<string, unknown>, RegExp]> = [
      [{ ...MEMBER, role: 'user' }, /already exists/],
      [{ email: ROOT_EMAIL, password: 'Whatever#1', role: 'admin' }, /already exists/],
      [{ email: 'new@example.com', password: 'short', role: 'user' }, /^Password must contain/],
      [{ email: 'not-an-email', password: 'Goodpass#1', role: 'user' }, /Invalid email/],
      [{ email: 'new@example.com', password: 'Goodpass#1', role: 'root' }, /Invalid role/],
      [{ email: 'new@example.com', password: 'Goodpass#1', role: 'superuser' }, /Invalid role/],
    ];
    for (const [json, message] of cases) {
      const res = await call(o2.url, '/api/default/users', { auth: adminAuth, json });
      expect(res.status).toBe(400);
      expect((res.body as { code: number; message: string }).code).toBe(400);
      expect((res.body as { message: string }).message).toMatch(message);
    }
    expect(await o2.store.users.get('new@example.com')).toBeUndefined();
  });

  it('answers 404 for an org that does not exist', async () => {
    const res = await call(o2.url, '/api/ghost_org/users', {
      auth: rootAuth(),
      json: { email: 'g@example.com', password: 'Ghostpass#1', role: 'user' },
    });
    expect(res.status).toBe(404);
  });

  it('adds a user of another org instead of refusing, ignoring the password', async () => {
    await call(o2.url, '/api/organizations', { auth: rootAuth(), json: { name: 'team b' } });
    const res = await call(o2.url, '/api/team_b/users', {
      auth: rootAuth(),
      json: { email: MEMBER.email, password: 'ignored', role: 'viewer' },
    });
    expect([res.status, res.body]).toEqual([200, SAVED]);
    expect((await list('team_b')).find((u) => u.email === MEMBER.email)?.role).toBe('viewer');
    const b = await o2.store.users.getMembership('team_b', MEMBER.email);
    const d = await o2.store.users.getMembership('default', MEMBER.email);
    expect(b?.passcode).not.toBe(d?.passcode);
  });

  it('adds an existing user with POST /users/{email}: 422 unknown, 409 root', async () => {
    await call(o2.url, '/api/organizations', { auth: rootAuth(), json: { name: 'team c' } });
    const added = await call(o2.url, `/api/team_c/users/${ADMIN.email}`, {
      auth: rootAuth(),
      json: { role: 'admin' },
    });
    expect(added.status).toBe(200);
    const unknown = await call(o2.url, '/api/team_c/users/nobody@example.com', {
      auth: rootAuth(),
      json: { role: 'user' },
    });
    expect([unknown.status, unknown.body]).toEqual([422, { code: 422, message: 'User not found' }]);
    const root = await call(o2.url, `/api/team_c/users/${ROOT_EMAIL}`, {
      auth: rootAuth(),
      json: { role: 'user' },
    });
    expect(root.status).toBe(409);
  });

  it('removes a membership, and the user with their last one; an admin may remove themself', async () => {
    const other = { email: 'temp@example.com', password: 'Temppass#1' };
    await call(o2.url, '/api/team_c/users', { auth: rootAuth(), json: { ...other, role: 'user' } });
    await call(o2.url, `/api/default/users/${other.email}`, {
      auth: rootAuth(),
      json: { role: 'user' },
    });
    const fromC = await call(o2.url, `/api/team_c/users/${other.email}`, {
      method: 'DELETE',
      auth: basic(ADMIN.email, ADMIN.password),
    });
    expect(fromC.status).toBe(200);
    expect(await o2.store.users.get(other.email)).toBeDefined();
    await call(o2.url, `/api/default/users/${other.email}`, { method: 'DELETE', auth: adminAuth });
    expect(await o2.store.users.get(other.email)).toBeUndefined();

    const self = await call(o2.url, `/api/team_c/users/${ADMIN.email}`, {
      method: 'DELETE',
      auth: adminAuth,
    });
    expect(self.status).toBe(200);
    expect(await o2.store.users.getMembership('team_c', ADMIN.email)).toBeUndefined();
    expect(await o2.store.users.get(ADMIN.email)).toBeDefined();
    const missing = await call(o2.url, '/api/default/users/nobody@example.com', {
      method: 'DELETE',
      auth: adminAuth,
    });
    expect(missing.status).toBe(404);
  });

  it("lets only root or an admin of all the user's orgs set their password", async () => {
    const mallory = { email: 'mallory@example.com', password: 'Mallory#pass1' };
    await call(o2.url, '/api/default/users', {
      auth: rootAuth(),
      json: { ...mallory, role: 'user' },
    });
    const malloryAuth = basic(mallory.email, mallory.password);
    await call(o2.url, '/api/organizations', { auth: malloryAuth, json: { name: 'mal' } });
    const added = await call(o2.url, '/api/mal/users', {
      auth: malloryAuth,
      json: { email: ADMIN.email, role: 'user' },
    });
    expect(added.status).toBe(200);
    const takeover = await call(o2.url, `/api/mal/users/${ADMIN.email}`, {
      method: 'PUT',
      auth: malloryAuth,
      json: { change_password: true, new_password: 'Takenover#1' },
    });
    expect(takeover.status).toBe(403);
    expect((await call(o2.url, '/api/default/users', { auth: adminAuth })).status).toBe(200);

    const byAdmin = await call(o2.url, `/api/default/users/${mallory.email}`, {
      method: 'PUT',
      auth: adminAuth,
      json: { change_password: true, new_password: 'Reset#pass12' },
    });
    expect(byAdmin.status).toBe(403);
    const byRoot = await call(o2.url, `/api/default/users/${mallory.email}`, {
      method: 'PUT',
      auth: rootAuth(),
      json: { change_password: true, new_password: 'Reset#pass12' },
    });
    expect(byRoot.status).toBe(200);
    expect((await call(o2.url, '/api/default/users', { auth: malloryAuth })).status).toBe(401);
    const other = { email: 'plain@example.com', password: 'Plainpass#1' };
    await call(o2.url, '/api/default/users', {
      auth: rootAuth(),
      json: { ...other, role: 'user' },
    });
    const adminResets = await call(o2.url, `/api/default/users/${other.email}`, {
      method: 'PUT',
      auth: adminAuth,
      json: { change_password: true, new_password: 'Resetbyadmin#1' },
    });
    expect(adminResets.status).toBe(200);
    const works = await call(o2.url, '/api/default/users', {
      auth: basic(other.email, 'Resetbyadmin#1'),
    });
    expect(works.status).toBe(200);
  });

  it('lists the assignable roles', async () => {
    const res = await call(o2.url, '/api/default/users/roles', { auth: memberAuth });
    expect(res.body).toContainEqual({ label: 'Admin', value: 'admin' });
    expect((res.body as Array<{ value: string }>).map((r) => r.value)).not.toContain('root');
  });
});
