import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { basic, call, makeDbDir, rootAuth, startRouter } from '../test-support/start-router.js';
import type { StartedRouter } from '../test-support/start-router.js';

const MEMBER = { email: 'reader@example.com', password: 'Readerpass#1' };

describe('GET|POST /api/{org}/settings (org settings, enable_streaming_search)', () => {
  let dir: { path: string; remove(): Promise<void> };
  let o2: StartedRouter;
  const member = basic(MEMBER.email, MEMBER.password);

  beforeAll(async () => {
    dir = await makeDbDir();
    o2 = await startRouter(join(dir.path, 'a'));
    const created = await call(o2.url, '/api/default/users', {
      auth: rootAuth(),
      json: { ...MEMBER, role: 'user' },
    });
    expect(created.status).toBe(200);
  });
  afterAll(async () => {
    await o2.close();
    await dir.remove();
  });

  const get = (auth = rootAuth(), org = 'default') =>
    call(o2.url, `/api/${org}/settings`, { auth });
  const post = (json: unknown, auth = rootAuth()) =>
    call(o2.url, '/api/default/settings', { auth, json });

  it("answers O2's defaults before anything is set", async () => {
    const res = await get(member);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      data: {
        scrape_interval: 15,
        trace_id_field_name: 'trace_id',
        span_id_field_name: 'span_id',
        toggle_ingestion_logs: false,
        streaming_aggregation_enabled: false,
        enable_streaming_search: false,
        min_auto_refresh_interval: 5,
      },
    });
  });

  it('merges an update, keeps it and drops unknown keys', async () => {
    const res = await post({ enable_streaming_search: true, scrape_interval: 30, nope: 1 });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      successful: 'true',
      data: { enable_streaming_search: true, scrape_interval: 30, trace_id_field_name: 'trace_id' },
    });
    await post({ trace_id_field_name: 'traceId' });
    const after = (await get(member)).body as { data: Record<string, unknown> };
    expect(after.data).toMatchObject({
      enable_streaming_search: true,
      scrape_interval: 30,
      trace_id_field_name: 'traceId',
    });
    expect(after.data).not.toHaveProperty('nope');
  });

  it.each([
    [{ enable_streaming_search: 'yes' }, 'enable_streaming_search'],
    [{ scrape_interval: 0 }, 'scrape_interval'],
    [{ trace_id_field_name: '' }, 'trace_id_field_name'],
    [[1, 2], 'object'],
  ])('refuses %j with 400', async (json, word) => {
    const res = await post(json);
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body)).toContain(word);
  });

  it('lets only admins change settings, and only members of the org read them', async () => {
    expect((await post({ enable_streaming_search: false }, member)).status).toBe(403);
    expect((await get(member, '_meta')).status).toBe(403);
    expect((await call(o2.url, '/api/default/settings')).status).toBe(401);
    const text = await call(o2.url, '/api/default/settings', {
      auth: rootAuth(),
      body: '{}',
      headers: { 'content-type': 'text/plain' },
    });
    expect(text.status).toBe(415);
  });
});
