import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orgWithUser } from '../test-support/dashboard-fixtures.js';
import { call, makeDbDir, rootAuth, startRouter } from '../test-support/start-router.js';
import type { StartedRouter } from '../test-support/start-router.js';

interface ListItem {
  alert_id: string;
  name: string;
  folder_name: string;
  enabled: boolean;
  alert_type: string;
  tags: string[];
}

const ALERT = {
  name: 'errors_high',
  stream_type: 'logs',
  stream_name: 'app',
  is_real_time: false,
  query_condition: {
    type: 'custom',
    conditions: [{ column: 'level', operator: '=', value: 'error', ignore_case: true }],
  },
  trigger_condition: { period: 5, operator: '>', threshold: 3, frequency: 1, silence: 10 },
  destinations: ['hook'],
  tags: ['payments'],
  priority: 2,
};

describe('alerts v2 API', () => {
  let dir: { path: string; remove(): Promise<void> };
  let o2: StartedRouter;
  let viewer: string;
  let outsider: string;
  const root = rootAuth();
  const v2 = (path = '', init: Parameters<typeof call>[2] = {}) =>
    call(o2.url, `/api/v2/default/alerts${path}`, { auth: root, ...init });

  beforeAll(async () => {
    dir = await makeDbDir();
    o2 = await startRouter(dir.path);
    viewer = await orgWithUser(o2.url, 'default', { email: 'v@acme.io', role: 'viewer' });
    outsider = await orgWithUser(o2.url, 'other', { email: 'x@other.io', role: 'admin' });
    await call(o2.url, '/api/default/alerts/destinations', {
      auth: root,
      json: { name: 'hook', url: 'https://hooks.example.com/x', template: 'system-prebuilt-slack' },
    });
  });
  afterAll(async () => {
    await o2.close();
    await dir.remove();
  });

  it('creates, reads, updates and deletes an alert in O2 shapes', async () => {
    const created = await v2('', { json: ALERT });
    expect(created.status).toBe(200);
    const { id, ...rest } = created.body as { id: string };
    expect(rest).toEqual({ code: 200, message: 'Alert saved' });
    const got = await v2(`/${id}`, { auth: viewer });
    expect(got.body).toMatchObject({
      ...ALERT,
      id,
      folder_id: 'default',
      owner: 'root@example.com',
      enabled: true,
      alert_type: 'scheduled',
      last_triggered_at: null,
      last_satisfied_at: null,
      last_edited_by: 'root@example.com',
      trigger_condition: {
        ...ALERT.trigger_condition,
        frequency_type: 'minutes',
        timezone: 'UTC',
        align_time: true,
      },
    });
    const updated = await v2(`/${id}`, {
      method: 'PUT',
      json: { ...ALERT, description: 'now with words' },
    });
    expect(updated.body).toEqual({ code: 200, message: 'Alert Updated' });
    expect((await v2(`/${id}`)).body).toMatchObject({ description: 'now with words' });
    expect((await v2(`/${id}`, { method: 'DELETE' })).body).toEqual({
      code: 200,
      message: 'Alert deleted',
    });
    expect((await v2(`/${id}`)).body).toEqual({ code: 404, message: 'Alert not found' });
    expect((await v2(`/${id}`, { method: 'DELETE' })).status).toBe(404);
  });

  it('refuses bad alerts with 4xx in O2 body shape', async () => {
    const cases: Array<[unknown, number, string]> = [
      [
        { ...ALERT, name: 'a:b' },
        400,
        "Alert name cannot contain ':', '#', '?', '&', '%', '/', or quotes",
      ],
      [{ ...ALERT, destinations: [] }, 400, 'Alert destinations is required'],
      [{ ...ALERT, destinations: ['nope'] }, 400, 'Destination not found: nope'],
      [{ ...ALERT, stream_name: '' }, 400, 'Stream name is required'],
      [
        { ...ALERT, query_condition: { type: 'sql', sql: '' } },
        400,
        'Alert with SQL type must have a SQL query',
      ],
      [
        {
          ...ALERT,
          query_condition: {
            type: 'custom',
            conditions: [{ column: 'a', operator: 'like', value: 1 }],
          },
        },
        400,
        'Invalid condition operator: "like"',
      ],
      [
        { ...ALERT, trigger_condition: { frequency_type: 'cron', cron: '61 * * * *' } },
        400,
        'Cron field out of range: 61',
      ],
      [
        { ...ALERT, trigger_condition: { timezone: 'Mars/Base' } },
        400,
        'Invalid timezone: Mars/Base',
      ],
      [{ ...ALERT, template: 'missing' }, 400, 'Template not found: missing'],
      [
        { ...ALERT, trigger_condition: { period: -1 } },
        400,
        'trigger_condition.period must not be negative',
      ],
      [[], 400, 'Request body must be a JSON object'],
    ];
    for (const [body, status, message] of cases) {
      const res = await v2('', { json: body });
      expect([res.status, res.body]).toEqual([status, { code: status, message }]);
    }
    expect(
      (await v2('', { body: '{', headers: { 'content-type': 'application/json' }, method: 'POST' }))
        .status,
    ).toBe(400);
    expect((await v2('', { body: '{}', method: 'POST' })).status).toBe(415);
    expect((await v2('?folder=nope', { json: ALERT })).body).toEqual({
      code: 404,
      message: 'Folder not found',
    });
    expect((await v2('', { json: ALERT, auth: viewer })).status).toBe(403);
    expect((await call(o2.url, '/api/v2/default/alerts', { auth: outsider })).status).toBe(403);
    const dup = await v2('', { json: { ...ALERT, name: 'dup' } });
    expect(dup.status).toBe(200);
    expect((await v2('', { json: { ...ALERT, name: 'dup' } })).body).toEqual({
      code: 409,
      message: 'Alert with this name already exists in the folder',
    });
  });

  it('lists with filters, sorting and paging; enables, triggers, clones, moves and bulk-edits', async () => {
    const folder = await call(o2.url, '/api/v2/default/folders/alerts', {
      auth: root,
      json: { name: 'Team', description: '' },
    });
    const folderId = (folder.body as { folderId: string }).folderId;
    const a = ((await v2('', { json: { ...ALERT, name: 'b_alert' } })).body as { id: string }).id;
    const b = (
      (
        await v2(`?folder=${folderId}`, {
          json: { ...ALERT, name: 'a_alert', tags: ['infra'], priority: 4 },
        })
      ).body as { id: string }
    ).id;
    const names = async (q: string) =>
      ((await v2(q)).body as { list: ListItem[] }).list.map((i) => i.name);
    expect(await names(`?folder=${folderId}`)).toEqual(['a_alert']);
    expect(await names('?alert_name_substring=_ALERT&sort_by=name&sort_order=desc')).toEqual([
      'b_alert',
      'a_alert',
    ]);
    expect(await names('?tags=infra')).toEqual(['a_alert']);
    expect(await names('?priority=4')).toEqual(['a_alert']);
    expect(await names('?alert_name_substring=alert&page_size=1&page_idx=1')).toEqual(['b_alert']);
    const item = ((await v2(`?folder=${folderId}`)).body as { list: ListItem[] }).list[0];
    expect(item).toMatchObject({
      alert_id: b,
      folder_name: 'Team',
      enabled: true,
      alert_type: 'scheduled',
      tags: ['infra'],
    });
    for (const bad of [
      '?sort_by=nope',
      '?sort_order=up',
      '?enabled=maybe',
      '?page_size=0',
      '?alert_type=x',
    ])
      expect([bad, (await v2(bad)).status]).toEqual([bad, 400]);

    expect((await v2(`/${a}/enable?value=false`, { method: 'PATCH' })).body).toEqual({
      enabled: false,
    });
    expect(await names('?enabled=false')).toEqual(['b_alert']);
    expect((await v2(`/${a}/enable`, { method: 'PATCH' })).status).toBe(400);
    expect((await v2(`/${a}/trigger`, { method: 'PATCH' })).body).toEqual({
      code: 400,
      message: 'Alert is disabled',
    });
    expect((await v2(`/${b}/trigger`, { method: 'PATCH' })).body).toEqual({
      code: 200,
      message: 'Alert triggered',
    });
    expect((await o2.store.alerts.state('default', b))?.nextRunAt).toBeLessThanOrEqual(Date.now());

    const cloned = await v2(`/${b}/clone`, { method: 'POST', json: {} });
    expect(cloned.body).toMatchObject({ code: 200, message: 'Alert cloned' });
    expect(await names(`?folder=${folderId}`)).toEqual(['a_alert', 'a_alert_copy']);
    expect(
      (await v2('/move', { method: 'PATCH', json: { alert_ids: [b], dst_folder_id: 'default' } }))
        .body,
    ).toEqual({ code: 200, message: 'Alerts moved' });
    expect(
      (await v2('/move', { method: 'PATCH', json: { alert_ids: [b], dst_folder_id: 'nope' } }))
        .status,
    ).toBe(404);
    expect(
      (await v2('/move', { method: 'PATCH', json: { alert_ids: [], dst_folder_id: 'default' } }))
        .status,
    ).toBe(400);
    expect((await v2('/tags')).body).toEqual({ tags: ['infra', 'payments'] });

    const enabled = await v2('/bulk/enable?value=true', {
      method: 'POST',
      json: { ids: [a, 'zz'] },
    });
    expect(enabled.body).toEqual({ successful: [a], unsuccessful: ['zz'], err: null });
    const deleted = await v2('/bulk', { method: 'DELETE', json: { ids: [a, 'zz'] } });
    expect(deleted.body).toEqual({ successful: [a], unsuccessful: ['zz'], err: null });
    expect(
      (
        await call(o2.url, '/api/default/alerts/destinations/hook', {
          method: 'DELETE',
          auth: root,
        })
      ).body,
    ).toEqual({
      code: 409,
      message: 'Destination is currently used by alert: a_alert',
    });
  });

  it('serves the history with paging and refuses unknown sort fields', async () => {
    await o2.store.alertHistory.add({
      org: 'default',
      entryId: 'e1',
      alertId: 'x',
      alertName: 'x',
      timestamp: 5_000_000,
      status: 'firing',
      isRealTime: false,
      startTime: 1,
      endTime: 2,
      rowsCount: 4,
      evaluationMs: 1500,
      error: '',
      node: 'n1',
    });
    const res = await v2('/history?size=10&sort_by=timestamp&sort_order=desc');
    expect(res.body).toEqual({
      total: 1,
      from: 0,
      size: 10,
      hits: [
        {
          timestamp: 5_000_000,
          alert_id: 'x',
          alert_name: 'x',
          org: 'default',
          status: 'firing',
          is_realtime: false,
          is_silenced: false,
          start_time: 1,
          end_time: 2,
          rows_count: 4,
          error: null,
          evaluation_took_in_secs: 1.5,
          source_node: 'n1',
        },
      ],
    });
    expect((await v2('/history?sort_by=nope')).body).toEqual({
      code: 400,
      message: 'Invalid sort_by: nope (one of timestamp, alert_name, status)',
    });
    expect((await v2('/history?from=-1')).status).toBe(400);
    expect(
      (
        (await call(o2.url, '/api/v2/other/alerts/history', { auth: outsider })).body as {
          total: number;
        }
      ).total,
    ).toBe(0);
  });
});
