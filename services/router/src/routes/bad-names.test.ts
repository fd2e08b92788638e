import { readdir } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRouterWithIngester } from '../test-support/router-with-ingester.js';
import { call, makeDbDir, rootAuth } from '../test-support/start-router.js';
import type { StartedRouter } from '../test-support/start-router.js';

/** A router over a real ingester and local object store in `dir`. */
async function withIngester(dir: string, env: Record<string, string>): Promise<StartedRouter> {
  return (await startRouterWithIngester(dir, env)).o2;
}

const records = JSON.stringify([{ log: 'x' }]);

async function expect400(o2: StartedRouter, path: string, rule: RegExp, method = 'POST') {
  const res = await call(o2.url, path, {
    method,
    auth: rootAuth(),
    ...(method === 'POST' ? { body: records } : {}),
  });
  expect(res.status, `${method} ${path}: ${res.text}`).toBe(400);
  expect(res.body).toEqual({ code: 400, message: expect.stringMatching(rule) as string });
}

describe('org ids and stream names at the router edge', () => {
  let dir: { path: string; remove(): Promise<void> };
  let o2: StartedRouter;
  let skipFormat: StartedRouter;

  beforeAll(async () => {
    dir = await makeDbDir();
    o2 = await withIngester(`${dir.path}/a`, {});
    skipFormat = await withIngester(`${dir.path}/b/`, { ZO_SKIP_FORMAT_STREAM_NAME: 'true' });
  });
  afterAll(async () => {
    await Promise.all([o2?.close(), skipFormat?.close()]);
    await dir?.remove();
  });

  it('answers 400 for an org id no org can have, on ingest and every other org route', async () => {
    const org = /Invalid organization identifier/;
    for (const bad of ['..%2Fdefault', 'Bad%20Org!', '%00', 'caf%C3%A9', 'a'.repeat(300)]) {
      await expect400(o2, `/api/${bad}/fuzz/_json`, bad.length > 100 ? /longer than 100/ : org);
      await expect400(o2, `/api/${bad}/fuzz/_multi`, /organization identifier/);
      await expect400(o2, `/api/${bad}/_bulk`, /organization identifier/);
      await expect400(o2, `/api/${bad}/streams`, /organization identifier/, 'GET');
      await expect400(o2, `/api/${bad}/fuzz/_values?fields=log`, /organization identifier/, 'GET');
      await expect400(o2, `/api/${bad}/_search`, /organization identifier/);
    }
    // Authentication still comes first: no credentials is 401 whatever the path names.
    const anonymous = await call(o2.url, '/api/..%2Fdefault/fuzz/_json', { body: records });
    expect(anonymous.status).toBe(401);
    const created = await call(o2.url, '/api/organizations', {
      auth: rootAuth(),
      json: { name: 'fine name', identifier: '../default' },
    });
    expect(created.status).toBe(400);
    expect(created.body).toEqual({
      code: 400,
      message: expect.stringContaining('Invalid organization identifier') as string,
    });
    const orgs = (await o2.store.orgs.list()).map((o) => o.identifier);
    expect(orgs.filter((o) => o !== 'default' && o !== '_meta')).toEqual([]);
  });

  it('formats stream names as O2 does and refuses what cannot become a stream', async () => {
    const ok = await call(o2.url, '/api/default/..%2F..%2FMy%20Stream!/_json', {
      auth: rootAuth(),
      body: records,
    });
    expect(ok.status).toBe(200);
    expect(ok.body).toEqual({
      code: 200,
      status: [{ name: '_my_stream_', successful: 1, failed: 0 }],
    });
    await expect400(o2, `/api/default/${'s'.repeat(300)}/_json`, /longer than 256/);
    await expect400(o2, `/api/default/streams/a%2F..%2Fb/schema`, /contain "\.\."/, 'GET');
    await expect400(o2, `/api/default/streams/a%00b`, /control characters/, 'DELETE');
    await expect400(o2, `/api/default/a%0Ab/_values?fields=log`, /control characters/, 'GET');
    const bulk = await call(o2.url, '/api/default/_bulk', {
      auth: rootAuth(),
      body: `{"index":{"_index":"${'x'.repeat(300)}"}}\n{"log":"x"}\n{"index":{"_index":"ok"}}\n{"log":"y"}\n`,
    });
    expect(bulk.status).toBe(200);
    const items = (bulk.body as { items: Array<{ index: { status: number } }> }).items;
    expect(items.map((i) => i.index.status)).toEqual([422, 200]);
  });

  it('keeps names as given under ZO_SKIP_FORMAT_STREAM_NAME, refusing key-breaking ones', async () => {
    const ok = await call(skipFormat.url, '/api/default/My%20Stream!/_json', {
      auth: rootAuth(),
      body: records,
    });
    expect(ok.body).toEqual({
      code: 200,
      status: [{ name: 'My Stream!', successful: 1, failed: 0 }],
    });
    await expect400(skipFormat, '/api/default/..%2Fdefault/_json', /contain "\.\."/);
    await expect400(skipFormat, '/api/default/a%2Fb/_multi', /contain "\/"/);
    await expect400(skipFormat, '/api/default/a%00b/_json', /control characters/);
    const flushed = await call(skipFormat.url, '/node/flush', { method: 'PUT', auth: rootAuth() });
    expect(flushed.status).toBe(200);
    const dirs = await readdir(`${dir.path}/b/stream/files/default/logs`);
    expect(dirs).toEqual(['My Stream!']);
  });
});
