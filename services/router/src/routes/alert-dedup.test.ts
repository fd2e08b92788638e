import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orgWithUser } from '../test-support/dashboard-fixtures.js';
import { call, makeDbDir, rootAuth, startRouter } from '../test-support/start-router.js';
import type { StartedRouter } from '../test-support/start-router.js';

const CONFIG = {
  enabled: true,
  alert_dedup_enabled: true,
  alert_fingerprint_groups: ['host'],
  time_window_minutes: 15,
};
const GROUPS = [{ id: 'host', display: 'Host', fields: ['host', 'hostname'], normalize: true }];

describe('alert deduplication config API', () => {
  let dir: { path: string; remove(): Promise<void> };
  let o2: StartedRouter;
  let viewer: string;
  let outsider: string;
  const root = rootAuth();
  const dedup = (path: string, init: Parameters<typeof call>[2] = {}, org = 'default') =>
    call(o2.url, `/api/${org}/alerts/deduplication/${path}`, { auth: root, ...init });

  beforeAll(async () => {
    dir = await makeDbDir();
    o2 = await startRouter(dir.path);
    viewer = await orgWithUser(o2.url, 'default', { email: 'v@acme.io', role: 'viewer' });
    outsider = await orgWithUser(o2.url, 'other', { email: 'x@other.io', role: 'admin' });
  });
  afterAll(async () => {
    await o2.close();
    await dir.remove();
  });

  it('serves the default, saves, reads back and deletes the org config', async () => {
    const before = await dedup('config', { auth: viewer });
    expect(before.status).toBe(200);
    expect(before.body).toEqual({
      enabled: false,
      alert_dedup_enabled: false,
      alert_fingerprint_groups: [],
      upgrade_window_minutes: 30,
    });
    const saved = await dedup('config', { json: CONFIG });
    expect(saved.status).toBe(200);
    expect(saved.body).toEqual({ ...CONFIG, upgrade_window_minutes: 30 });
    expect((await dedup('config', { auth: viewer })).body).toEqual(saved.body);
    // Kept apart from the public KV API's keys.
    const kv = await call(o2.url, '/api/default/kv', { auth: root });
    expect(kv.body).toEqual([]);
    const deleted = await dedup('config', { method: 'DELETE' });
    expect(deleted.status).toBe(200);
    expect(deleted.body).toEqual({ code: 200, message: 'Deduplication config deleted' });
    expect((await dedup('config')).body).toMatchObject({ enabled: false });
    expect((await dedup('config', { method: 'DELETE' })).status).toBe(404);
  });

  it('refuses bad bodies with 400 in O2’s error shape', async () => {
    for (const json of [
      { enabled: 'yes' },
      { time_window_minutes: -5 },
      { enabled: true, alert_dedup_enabled: true },
      [CONFIG],
    ]) {
      const res = await dedup('config', { json });
      expect(res.status, JSON.stringify(json)).toBe(400);
      const body = res.body as { code: number; message: string };
      expect(body.code).toBe(400);
      expect(body.message.length).toBeGreaterThan(0);
    }
    const notJson = await dedup('config', {
      body: '{',
      headers: { 'content-type': 'application/json' },
    });
    expect(notJson.status).toBe(400);
    for (const json of [
      { groups: GROUPS },
      [...GROUPS, ...GROUPS],
      [{ ...GROUPS[0], fields: [] }],
    ]) {
      const res = await dedup('semantic-groups', { method: 'PUT', json });
      expect(res.status, JSON.stringify(json)).toBe(400);
    }
  });

  it('serves preset semantic groups until the org saves its own', async () => {
    const presets = await dedup('semantic-groups', { auth: viewer });
    expect(presets.status).toBe(200);
    expect((presets.body as Array<{ id: string }>).map((g) => g.id)).toEqual(['host', 'service']);
    const saved = await dedup('semantic-groups', { method: 'PUT', json: GROUPS });
    expect(saved.status).toBe(200);
    expect(saved.body).toEqual(GROUPS);
    expect((await dedup('semantic-groups')).body).toEqual(GROUPS);
  });

  it('lets viewers read but not write, and keeps each org to itself', async () => {
    expect((await dedup('config', { auth: viewer, json: CONFIG })).status).toBe(403);
    expect((await dedup('config', { auth: viewer, method: 'DELETE' })).status).toBe(403);
    expect(
      (await dedup('semantic-groups', { auth: viewer, method: 'PUT', json: GROUPS })).status,
    ).toBe(403);
    // An admin of another org can neither read nor write this org's settings.
    expect((await dedup('config', { auth: outsider })).status).toBe(403);
    expect((await dedup('config', { auth: outsider, json: CONFIG })).status).toBe(403);
    expect((await dedup('semantic-groups', { auth: outsider })).status).toBe(403);
    // Its own org's config is its own.
    expect((await dedup('config', { auth: outsider, json: CONFIG }, 'other')).status).toBe(200);
    expect((await dedup('config', {}, 'default')).body).toMatchObject({ enabled: false });
    expect((await dedup('config', { auth: outsider }, 'other')).body).toMatchObject(CONFIG);
    expect(
      (await call(o2.url, '/api/v2/other/alerts/dedup/summary', { auth: viewer })).status,
    ).toBe(403);
  });

  it('summarises which alerts dedup', async () => {
    await call(o2.url, '/api/default/alerts/destinations', {
      auth: root,
      json: { name: 'hook', url: 'https://hooks.example.com/x', template: 'system-prebuilt-slack' },
    });
    const alert = (name: string, enabled: boolean) => ({
      name,
      stream_name: 'app',
      query_condition: { type: 'sql', sql: 'SELECT * FROM "app"' },
      destinations: ['hook'],
      deduplication: { enabled, fingerprint_fields: ['host'] },
    });
    for (const body of [alert('a_dedup', true), alert('b_plain', false)]) {
      const res = await call(o2.url, '/api/v2/default/alerts', { auth: root, json: body });
      expect(res.status, res.text).toBe(200);
    }
    const summary = await call(o2.url, '/api/v2/default/alerts/dedup/summary', { auth: viewer });
    expect(summary.status).toBe(200);
    expect(summary.body).toMatchObject({
      total_alerts: 2,
      alerts_with_dedup: 1,
      suppressions_total: 0,
      passed_total: 0,
      suppression_rate: 0,
      pending_batches: 0,
    });
  });
});
