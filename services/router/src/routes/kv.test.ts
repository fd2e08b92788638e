import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { basic, call, makeDbDir, rootAuth, startRouter } from '../test-support/start-router.js';
import type { StartedRouter } from '../test-support/start-router.js';

const MEMBER = { email: 'kvreader@example.com', password: 'Readerpass#1' };
const keyList = z.array(z.string());

describe('/api/{org}/kv (per-org key-value store)', () => {
  let dir: { path: string; remove(): Promise<void> };
  let o2: StartedRouter;
  const member = basic(MEMBER.email, MEMBER.password);

  beforeAll(async () => {
    dir = await makeDbDir();
    o2 = await startRouter(dir.path);
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

  const put = (key: string, value: string, auth = rootAuth(), org = 'default') =>
    call(o2.url, `/api/${org}/kv/${encodeURIComponent(key)}`, {
      method: 'POST',
      auth,
      body: value,
      headers: { 'content-type': 'text/plain' },
    });
  const get = (key: string, auth = rootAuth(), org = 'default') =>
    call(o2.url, `/api/${org}/kv/${encodeURIComponent(key)}`, { auth });
  const keys = async (query = '', org = 'default') =>
    keyList.parse((await call(o2.url, `/api/${org}/kv${query}`, { auth: rootAuth() })).body);

  it('stores a plain-text value and reads it back; unknown keys are 404', async () => {
    const saved = await put('greeting', 'hello, world');
    expect([saved.status, saved.text]).toEqual([200, 'OK']);
    const read = await get('greeting', member);
    expect([read.status, read.text]).toEqual([200, 'hello, world']);
    expect(read.headers.get('content-type')).toMatch(/^text\/plain/);
    await put('greeting', 'replaced');
    expect((await get('greeting')).text).toBe('replaced');
    const missing = await get('nothing-here');
    expect([missing.status, missing.text]).toEqual([404, 'Not Found']);
  });

  it('lists keys (a `/` in a key travels percent-encoded), by literal prefix', async () => {
    await put('app/a', '1');
    await put('app/b', '2');
    await put('app_c', '3');
    expect(await keys()).toEqual(['app/a', 'app/b', 'app_c', 'greeting']);
    expect(await keys('?prefix=app/')).toEqual(['app/a', 'app/b']);
    expect(await keys('?prefix=app_')).toEqual(['app_c']);
    expect(await keys('?prefix=zzz')).toEqual([]);
  });

  it('deletes a key (404 the second time)', async () => {
    const removed = await call(o2.url, '/api/default/kv/app_c', {
      method: 'DELETE',
      auth: rootAuth(),
    });
    expect([removed.status, removed.text]).toEqual([200, 'OK']);
    const again = await call(o2.url, '/api/default/kv/app_c', {
      method: 'DELETE',
      auth: rootAuth(),
    });
    expect([again.status, again.text]).toEqual([404, 'Not Found']);
  });

  it('keeps orgs apart and never exposes what O2TS keeps in the same store', async () => {
    expect(await keys('', 'other')).toEqual([]);
    expect((await get('greeting', rootAuth(), 'other')).status).toBe(404);
    await put('greeting', 'other org', rootAuth(), 'other');
    expect((await get('greeting')).text).toBe('replaced');
    // Org settings live in the same table under an internal key the API cannot reach.
    await call(o2.url, '/api/default/settings', {
      auth: rootAuth(),
      json: { scrape_interval: 20 },
    });
    expect(await keys()).not.toContain('org_settings');
    expect((await get('org_settings')).status).toBe(404);
    await put('org_settings', 'clobber?');
    const settings = await call(o2.url, '/api/default/settings', { auth: rootAuth() });
    expect(settings.body).toMatchObject({ data: { scrape_interval: 20 } });
  });

  it('lets members read, only admins and root write; strangers get 403', async () => {
    expect((await put('x', 'y', member)).status).toBe(403);
    const del = await call(o2.url, '/api/default/kv/greeting', { method: 'DELETE', auth: member });
    expect(del.status).toBe(403);
    expect((await get('greeting', member, 'other')).status).toBe(403);
    expect((await call(o2.url, '/api/default/kv', {})).status).toBe(401);
  });

  it('refuses oversized values (413) and control characters in keys (400)', async () => {
    const big = await put('big', 'x'.repeat(1024 * 1024 + 1));
    expect(big.status).toBe(413);
    expect((await put('bad\nkey', 'v')).status).toBe(400);
  });
});
