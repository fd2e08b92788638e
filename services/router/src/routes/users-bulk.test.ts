import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bulkDeleteResponseSchema, orgUserListSchema, roleListSchema } from '@o2/api-schemas';
import {
  basic,
  call,
  makeDbDir,
  ROOT_EMAIL,
  rootAuth,
  startRouter,
} from '../test-support/start-router.js';
import type { StartedRouter } from '../test-support/start-router.js';

const PASSWORD = 'Userpass#123';

describe("users API: O2's e-mail rule, the role list, bulk delete", () => {
  let dir: { path: string; remove(): Promise<void> };
  let o2: StartedRouter;

  beforeAll(async () => {
    dir = await makeDbDir();
    o2 = await startRouter(dir.path);
    await call(o2.url, '/api/organizations', {
      auth: rootAuth(),
      json: { name: 'Other', identifier: 'other' },
    });
  });
  afterAll(async () => {
    await o2.close();
    await dir.remove();
  });

  const addUser = (email: string, role = 'editor', org = 'default', auth = rootAuth()) =>
    call(o2.url, `/api/${org}/users`, { auth, json: { email, password: PASSWORD, role } });
  const emails = async (org = 'default') =>
    orgUserListSchema
      .parse((await call(o2.url, `/api/${org}/users`, { auth: rootAuth() })).body)
      .data.map((u) => u.email);

  it('accepts long top-level domains, upper case and `-` in the local part; stores lower case', async () => {
    for (const email of [
      'ops@studio.photography',
      `tld@example.${'x'.repeat(63)}`,
      'Mary-Jane@Example.COM',
      '-dash-@example.org',
    ])
      expect((await addUser(email)).status).toBe(200);
    expect(await emails()).toEqual(
      expect.arrayContaining(['mary-jane@example.com', 'ops@studio.photography']),
    );
    for (const email of [
      `tld@example.${'x'.repeat(64)}`,
      'a@b.c',
      'no at sign',
      '.a@example.com',
    ]) {
      const res = await addUser(email);
      expect([res.status, res.body]).toEqual([400, { code: 400, message: 'Invalid email' }]);
    }
  });

  it("lists O2's assignable roles (no root)", async () => {
    const res = await call(o2.url, '/api/default/users/roles', { auth: rootAuth() });
    expect(roleListSchema.parse(res.body).map((r) => r.value)).toEqual([
      'admin',
      'editor',
      'viewer',
      'user',
      'service_account',
    ]);
  });

  it('adds an existing user to another org with POST /users/{email}', async () => {
    const res = await call(o2.url, '/api/other/users/ops@studio.photography', {
      auth: rootAuth(),
      json: { role: 'viewer' },
    });
    expect(res.status).toBe(200);
    expect(await emails('other')).toContain('ops@studio.photography');
  });

  it('bulk-deletes members: per-id outcome, root and strangers refused, other orgs untouched', async () => {
    await addUser('gone1@example.com');
    await addUser('gone2@example.com');
    const res = await call(o2.url, '/api/default/users/bulk', {
      method: 'DELETE',
      auth: rootAuth(),
      json: { ids: ['gone1@example.com', 'Gone2@Example.com', ROOT_EMAIL, 'nobody@example.com'] },
    });
    expect(res.status).toBe(200);
    expect(bulkDeleteResponseSchema.parse(res.body)).toMatchObject({
      successful: ['gone1@example.com', 'Gone2@Example.com'],
      unsuccessful: [ROOT_EMAIL, 'nobody@example.com'],
      err: 'User not found',
    });
    const left = await emails();
    expect(left).not.toContain('gone1@example.com');
    expect(left).not.toContain('gone2@example.com');
    expect(await o2.store.users.get('gone1@example.com')).toBeUndefined();
    expect(await o2.store.users.getRoot()).toBeDefined();

    // A user in two orgs leaves only this one.
    const both = await call(o2.url, '/api/default/users/bulk', {
      method: 'DELETE',
      auth: rootAuth(),
      json: { ids: ['ops@studio.photography'] },
    });
    expect(bulkDeleteResponseSchema.parse(both.body).successful).toEqual([
      'ops@studio.photography',
    ]);
    expect(await emails('other')).toContain('ops@studio.photography');
  });

  it('is for admins and root only, within the caller’s org, and checks the body', async () => {
    await addUser('editor1@example.com', 'editor');
    const editor = basic('editor1@example.com', PASSWORD);
    const denied = await call(o2.url, '/api/default/users/bulk', {
      method: 'DELETE',
      auth: editor,
      json: { ids: ['mary-jane@example.com'] },
    });
    expect(denied.status).toBe(403);
    expect(await emails()).toContain('mary-jane@example.com');
    await addUser('otheradmin@example.com', 'admin', 'other');
    const foreign = await call(o2.url, '/api/default/users/bulk', {
      method: 'DELETE',
      auth: basic('otheradmin@example.com', PASSWORD),
      json: { ids: ['mary-jane@example.com'] },
    });
    expect(foreign.status).toBe(403);
    const bad = await call(o2.url, '/api/default/users/bulk', {
      method: 'DELETE',
      auth: rootAuth(),
      json: { ids: [1, 2] },
    });
    expect(bad.status).toBe(400);
  });
});
