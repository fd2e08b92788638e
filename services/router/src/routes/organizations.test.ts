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

interface ListedOrg {
  id: number;
  identifier: string;
  name: string;
  user_email: string;
  type: string;
  UserObj: { email: string; ingestion_token?: string };
}

const USER = { email: 'owner@example.com', password: 'Ownerpass#1' };

describe('organizations and passcodes', () => {
  let dir: { path: string; remove(): Promise<void> };
  let o2: StartedRouter;
  const userAuth = basic(USER.email, USER.password);
  const orgs = async (auth: string): Promise<ListedOrg[]> =>
    ((await call(o2.url, '/api/organizations', { auth })).body as { data: ListedOrg[] }).data;

  beforeAll(async () => {
    dir = await makeDbDir();
    o2 = await startRouter(dir.path);
    await call(o2.url, '/api/default/users', { auth: rootAuth(), json: { ...USER, role: 'user' } });
  });
  afterAll(async () => {
    await o2.close();
    await dir.remove();
  });

  it('creates an org whose creator becomes its admin', async () => {
    const res = await call(o2.url, '/api/organizations', {
      auth: userAuth,
      json: { name: 'My Team' },
    });
    expect([res.status, res.body]).toEqual([
      200,
      { identifier: 'my_team', name: 'My Team', org_type: 'custom', service_account: null },
    ]);
    expect((await o2.store.users.getMembership('my_team', USER.email))?.role).toBe('admin');
    // Like O2, the new org comes with its enabled `default` ingestion token.
    expect(await o2.store.ingestionTokens.get('my_team', 'default')).toMatchObject({
      isDefault: true,
      enabled: true,
      createdBy: USER.email,
    });
    const users = await call(o2.url, '/api/my_team/users', { auth: userAuth });
    expect(users.status).toBe(200);
  });

  it('derives a free identifier when the name clashes, and honours a given one', async () => {
    const again = await call(o2.url, '/api/organizations', {
      auth: userAuth,
      json: { name: 'my team' },
    });
    expect((again.body as { identifier: string }).identifier).toBe('my_team_2');
    const given = await call(o2.url, '/api/organizations', {
      auth: rootAuth(),
      json: { name: 'Ops', identifier: 'ops_1' },
    });
    expect((given.body as { identifier: string }).identifier).toBe('ops_1');
    const taken = await call(o2.url, '/api/organizations', {
      auth: rootAuth(),
      json: { name: 'Ops', identifier: 'ops_1' },
    });
    expect(taken.status).toBe(400);
  });

  it('refuses bad names and identifiers that would shadow API paths', async () => {
    for (const json of [
      { name: '../etc' },
      { name: '' },
      { name: 'ok', identifier: 'organizations' },
    ]) {
      const res = await call(o2.url, '/api/organizations', { auth: rootAuth(), json });
      expect(res.status).toBe(400);
    }
  });

  it('lists all orgs to root and only their own to others, in O2’s shape', async () => {
    const all = await orgs(rootAuth());
    expect(all.map((o) => o.identifier)).toEqual(
      expect.arrayContaining(['default', '_meta', 'my_team', 'my_team_2', 'ops_1']),
    );
    const mine = await orgs(userAuth);
    expect(mine.map((o) => o.identifier).sort()).toEqual(['default', 'my_team', 'my_team_2']);
    const team = mine.find((o) => o.identifier === 'my_team');
    expect(team).toMatchObject({
      name: 'My Team',
      user_email: USER.email,
      type: 'custom',
      UserObj: { email: USER.email },
    });
    expect(team?.UserObj.ingestion_token).toBe(
      (await o2.store.users.getMembership('my_team', USER.email))?.passcode,
    );
    expect(typeof team?.id).toBe('number');
  });

  it('shows and rotates the caller’s own passcode', async () => {
    const shown = await call(o2.url, '/api/default/passcode', { auth: userAuth });
    const before = (shown.body as { data: { user: string; passcode: string } }).data;
    expect(before.user).toBe(USER.email);
    expect(before.passcode).toMatch(/^[A-Za-z0-9_-]{20,}$/);

    const rotated = await call(o2.url, '/api/default/passcode', { method: 'PUT', auth: userAuth });
    const after = (rotated.body as { data: { user: string; passcode: string } }).data;
    expect(after.user).toBe(USER.email);
    expect(after.passcode).not.toBe(before.passcode);
    const again = await call(o2.url, '/api/default/passcode', { auth: userAuth });
    expect(again.body).toEqual({ data: after });
    expect((await o2.store.users.getMembership('default', USER.email))?.role).toBe('user');
  });

  it('gives root a passcode in an org it never joined', async () => {
    const res = await call(o2.url, '/api/my_team/passcode', { auth: rootAuth() });
    expect(res.status).toBe(200);
    expect((res.body as { data: { user: string } }).data.user).toBe(ROOT_EMAIL);
  });
});
