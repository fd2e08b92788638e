import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dashboardListSchema, dashboardWrapperSchema } from '@o2/api-schemas';
import {
  createDashboard,
  linePanel,
  minimalDashboard,
} from '../test-support/dashboard-fixtures.js';
import type { Wrapper } from '../test-support/dashboard-fixtures.js';
import { basic, call, rootAuth } from '../test-support/start-router.js';
import type { StartedRouter } from '../test-support/start-router.js';
import { startDashboardRouter } from '../test-support/dashboard-router.js';
import type { DashboardRouter } from '../test-support/dashboard-router.js';

describe('dashboards API', () => {
  let node: DashboardRouter;
  let o2: StartedRouter;
  let member: string;
  let viewer: string;
  let outsider: string;

  beforeAll(async () => {
    node = await startDashboardRouter();
    ({ o2, member, viewer, outsider } = node);
  });
  afterAll(async () => {
    await node?.close();
  });

  it('creates a dashboard and answers the stored wrapper with every version key', async () => {
    const res = await call(o2.url, '/api/acme/dashboards', {
      auth: member,
      json: minimalDashboard('Ops'),
    });
    expect(res.status).toBe(200);
    dashboardWrapperSchema.parse(res.body);
    const body = res.body as Wrapper & Record<string, unknown>;
    expect(Object.keys(body)).toEqual([
      'v1',
      'v2',
      'v3',
      'v4',
      'v5',
      'v6',
      'v7',
      'v8',
      'version',
      'hash',
      'updatedAt',
    ]);
    expect(body.v1).toBeNull();
    expect(body.version).toBe(8);
    expect(body.hash).toMatch(/^\d+$/);
    expect(body.updatedAt).toBeGreaterThan(1e15);
    expect(body.v8).toMatchObject({ title: 'Ops', owner: 'dev@acme.io', version: 8 });
    expect(body.v8.dashboardId).toMatch(/^[0-9A-Za-z]{27}$/);
    const got = await call(o2.url, `/api/acme/dashboards/${body.v8.dashboardId}`, { auth: viewer });
    expect([got.status, got.text]).toEqual([200, res.text]);
  });

  it("lists with O2's shape, filtered by folder and title", async () => {
    await createDashboard(o2.url, 'acme', member, minimalDashboard('Billing'));
    const res = await call(o2.url, '/api/acme/dashboards?title=bill', { auth: member });
    expect(res.status).toBe(200);
    dashboardListSchema.parse(res.body);
    const { dashboards } = res.body as { dashboards: Array<Record<string, unknown>> };
    expect(dashboards).toHaveLength(1);
    const [item] = dashboards;
    expect(item).toMatchObject({
      v1: null,
      version: 8,
      folder_id: 'default',
      folder_name: 'default',
      title: 'Billing',
      description: '',
      role: '',
      owner: 'dev@acme.io',
    });
    expect(item?.['dashboard_id']).toBe((item?.['v8'] as Wrapper['v8']).dashboardId);
    expect(Object.keys(item ?? {})).toEqual(
      expect.arrayContaining(['hash', 'created', 'updatedAt', 'v7']),
    );
    const none = await call(o2.url, '/api/acme/dashboards?folder=nope', { auth: member });
    expect(none.body).toEqual({ dashboards: [] });
    const every = await call(o2.url, '/api/acme/dashboards', { auth: member });
    const summary = await call(o2.url, '/api/acme/summary', { auth: member });
    expect((summary.body as { total_dashboards: number }).total_dashboards).toBe(
      dashboardListSchema.parse(every.body).dashboards.length,
    );
    const paged = await call(o2.url, '/api/acme/dashboards?pageSize=1', { auth: member });
    expect((paged.body as { dashboards: unknown[] }).dashboards).toHaveLength(1);
  });

  it('updates with the current hash, and refuses a stale one with 409', async () => {
    const created = await createDashboard(o2.url, 'acme', member, minimalDashboard('v1'));
    const id = created.v8.dashboardId;
    const path = `/api/acme/dashboards/${id}`;
    const next = { ...created.v8, title: 'v2' };
    const ok = await call(o2.url, `${path}?hash=${created.hash}`, {
      method: 'PUT',
      auth: member,
      json: next,
    });
    expect(ok.status).toBe(200);
    const updated = ok.body as Wrapper;
    expect(updated.v8).toMatchObject({ title: 'v2', dashboardId: id, owner: 'dev@acme.io' });
    expect(updated.hash).not.toBe(created.hash);

    const stale = await call(o2.url, `${path}?hash=${created.hash}`, {
      method: 'PUT',
      auth: member,
      json: { ...next, title: 'lost update' },
    });
    expect(stale.status).toBe(409);
    expect((stale.body as { message: string }).message).toMatch(/^Conflict: /);
    const missing = await call(o2.url, path, { method: 'PUT', auth: member, json: next });
    expect([missing.status, missing.body]).toEqual([
      400,
      { code: 400, message: 'hash query parameter is required' },
    ]);
    expect(((await call(o2.url, path, { auth: member })).body as Wrapper).v8.title).toBe('v2');
  });

  it('keeps the id of the path whatever the body says', async () => {
    const created = await createDashboard(o2.url, 'acme', member, minimalDashboard('keep'));
    const id = created.v8.dashboardId;
    const res = await call(o2.url, `/api/acme/dashboards/${id}?hash=${created.hash}`, {
      method: 'PUT',
      auth: member,
      json: { ...created.v8, dashboardId: 'someone-else' },
    });
    expect((res.body as Wrapper).v8.dashboardId).toBe(id);
    expect((await call(o2.url, '/api/acme/dashboards/someone-else', { auth: member })).status).toBe(
      404,
    );
  });

  it('answers 404 for unknown ids on every route', async () => {
    const base = '/api/acme/dashboards/unknown';
    const json = minimalDashboard('x');
    for (const [method, path, body] of [
      ['GET', base, undefined],
      ['PUT', `${base}?hash=1`, json],
      ['DELETE', base, undefined],
      ['POST', `${base}/panels?hash=1`, { panel: linePanel('p9') }],
      ['GET', `${base}/annotations?start_time=0&end_time=1`, undefined],
    ] as const) {
      const res = await call(o2.url, path, {
        method,
        auth: member,
        ...(body ? { json: body } : {}),
      });
      expect([method, path, res.status, res.body]).toEqual([
        method,
        path,
        404,
        { code: 404, message: 'Dashboard not found' },
      ]);
    }
  });

  it('rejects bad bodies with 4xx in O2 shape: 415, 400, 422', async () => {
    const post = (
      body: string,
      headers: Record<string, string> = { 'content-type': 'application/json' },
    ) => call(o2.url, '/api/acme/dashboards', { auth: member, body, headers });
    expect((await post('{}', {})).status).toBe(415);
    const malformed = await post('{"title":');
    expect(malformed.status).toBe(400);
    expect((malformed.body as { message: string }).message).toMatch(/^Invalid JSON body/);
    expect((await post('[1]')).body).toEqual({
      code: 400,
      message: 'Request body must be a JSON object',
    });
    expect((await post('{"version":12,"title":"x"}')).status).toBe(400);

    const noLabel = JSON.parse(
      JSON.stringify(minimalDashboard('bad')).replace('"label":"cpu",', ''),
    ) as unknown;
    const res = await call(o2.url, '/api/acme/dashboards', { auth: member, json: noLabel });
    expect(res.status).toBe(422);
    expect(res.body).toEqual({
      code: 422,
      message: 'Invalid dashboard: tabs.0.panels.0.queries.0.fields.y.0.label is required',
    });
    const noTitle = await call(o2.url, '/api/acme/dashboards', {
      auth: member,
      json: { version: 8 },
    });
    expect(noTitle.body).toEqual({ code: 422, message: 'Invalid dashboard: title is required' });
    const badFolder = await call(o2.url, '/api/acme/dashboards?folder=nope', {
      auth: member,
      json: minimalDashboard('x'),
    });
    expect([badFolder.status, badFolder.body]).toEqual([
      404,
      { code: 404, message: 'Folder not found' },
    ]);
  });

  it('deletes one, and several at once reporting which existed', async () => {
    const a = await createDashboard(o2.url, 'acme', member, minimalDashboard('a'));
    const b = await createDashboard(o2.url, 'acme', member, minimalDashboard('b'));
    const one = await call(o2.url, `/api/acme/dashboards/${a.v8.dashboardId}`, {
      method: 'DELETE',
      auth: member,
    });
    expect([one.status, one.body]).toEqual([200, { code: 200, message: 'Dashboard deleted' }]);
    const bulk = await call(o2.url, '/api/acme/dashboards/bulk', {
      method: 'DELETE',
      auth: member,
      json: { ids: [b.v8.dashboardId, a.v8.dashboardId] },
    });
    expect(bulk.body).toEqual({
      successful: [b.v8.dashboardId],
      unsuccessful: [a.v8.dashboardId],
      err: null,
    });
    const empty = await call(o2.url, '/api/acme/dashboards/bulk', {
      method: 'DELETE',
      auth: member,
      json: { ids: [] },
    });
    expect(empty.body).toEqual({ code: 400, message: 'ids must not be empty' });
  });

  it('moves dashboards between folders (PATCH move and the older PUT)', async () => {
    const folder = await call(o2.url, '/api/v2/acme/folders/dashboards', {
      auth: member,
      json: { name: 'Team', description: '' },
    });
    const folderId = (folder.body as { folderId: string }).folderId;
    const d = await createDashboard(o2.url, 'acme', member, minimalDashboard('mover'));
    const id = d.v8.dashboardId;
    const patch = await call(o2.url, '/api/acme/dashboards/move', {
      method: 'PATCH',
      auth: member,
      json: { dashboard_ids: [id], dst_folder_id: folderId },
    });
    expect(patch.status).toBe(200);
    const inFolder = await call(o2.url, `/api/acme/dashboards?folder=${folderId}`, {
      auth: member,
    });
    expect(
      (inFolder.body as { dashboards: Array<{ folder_name: string }> }).dashboards,
    ).toMatchObject([{ folder_name: 'Team' }]);
    const back = await call(o2.url, `/api/acme/folders/dashboards/${id}`, {
      method: 'PUT',
      auth: member,
      json: { from: folderId, to: 'default' },
    });
    expect(back.status).toBe(200);
    const wrongFrom = await call(o2.url, `/api/acme/folders/dashboards/${id}`, {
      method: 'PUT',
      auth: member,
      json: { from: folderId, to: 'default' },
    });
    expect(wrongFrom.status).toBe(404);
    const toNowhere = await call(o2.url, '/api/acme/dashboards/move', {
      method: 'PATCH',
      auth: member,
      json: { dashboard_ids: [id], dst_folder_id: 'nope' },
    });
    expect(toNowhere.body).toEqual({ code: 404, message: 'Folder not found' });
    const noTo = await call(o2.url, `/api/acme/folders/dashboards/${id}`, {
      method: 'PUT',
      auth: member,
      json: { from: 'default' },
    });
    expect(noTo.status).toBe(400);
  });

  it('lets a viewer read but not write', async () => {
    const d = await createDashboard(o2.url, 'acme', member, minimalDashboard('ro'));
    expect(
      (await call(o2.url, `/api/acme/dashboards/${d.v8.dashboardId}`, { auth: viewer })).status,
    ).toBe(200);
    const create = await call(o2.url, '/api/acme/dashboards', {
      auth: viewer,
      json: minimalDashboard('no'),
    });
    expect(create.status).toBe(403);
    const del = await call(o2.url, `/api/acme/dashboards/${d.v8.dashboardId}`, {
      method: 'DELETE',
      auth: viewer,
    });
    expect(del.status).toBe(403);
  });

  it('never crosses organizations', async () => {
    const d = await createDashboard(o2.url, 'acme', member, minimalDashboard('private'));
    const id = d.v8.dashboardId;
    // A member of another org is refused at the door (403), on reads and writes alike.
    for (const [method, path] of [
      ['GET', `/api/acme/dashboards/${id}`],
      ['GET', '/api/acme/dashboards'],
      ['DELETE', `/api/acme/dashboards/${id}`],
      ['GET', '/api/v2/acme/folders/dashboards'],
    ] as const) {
      expect((await call(o2.url, path, { method, auth: outsider })).status).toBe(403);
    }
    // Root is in both orgs: acme's id is unknown in "other".
    expect((await call(o2.url, `/api/other/dashboards/${id}`, { auth: rootAuth() })).status).toBe(
      404,
    );
    const moved = await call(o2.url, '/api/other/dashboards/move', {
      method: 'PATCH',
      auth: rootAuth(),
      json: { dashboard_ids: [id], dst_folder_id: 'default' },
    });
    expect(moved.status).toBe(404);
    const list = await call(o2.url, '/api/other/dashboards', { auth: outsider });
    expect(list.body).toEqual({ dashboards: [] });
    expect((await call(o2.url, `/api/acme/dashboards/${id}`, { auth: member })).status).toBe(200);
  });

  it('needs a password or session: no credentials, or an ingestion passcode, is 401', async () => {
    expect((await call(o2.url, '/api/acme/dashboards')).status).toBe(401);
    const passcode = await call(o2.url, '/api/acme/passcode', { auth: member });
    const { user, passcode: token } = (
      passcode.body as { data: { user: string; passcode: string } }
    ).data;
    const withPasscode = await call(o2.url, '/api/acme/dashboards', { auth: basic(user, token) });
    expect(withPasscode.status).toBe(401);
  });
});
