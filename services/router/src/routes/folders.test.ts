import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { folderListSchema, folderSchema } from '@o2/api-schemas';
import { createDashboard, minimalDashboard } from '../test-support/dashboard-fixtures.js';
import { call, rootAuth } from '../test-support/start-router.js';
import type { StartedRouter } from '../test-support/start-router.js';
import { startDashboardRouter } from '../test-support/dashboard-router.js';
import type { DashboardRouter } from '../test-support/dashboard-router.js';

interface Folder {
  folderId: string;
  name: string;
  description: string;
}

describe('folders API', () => {
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

  const create = async (type: string, name: string, auth = member) =>
    call(o2.url, `/api/v2/acme/folders/${type}`, { auth, json: { name, description: `${name}!` } });

  it('always has the default folder of each type', async () => {
    for (const type of ['dashboards', 'alerts', 'reports']) {
      const res = await call(o2.url, `/api/v2/acme/folders/${type}`, { auth: viewer });
      expect([type, res.status, res.body]).toEqual([
        type,
        200,
        { list: [{ folderId: 'default', name: 'default', description: 'default' }] },
      ]);
    }
    const byName = await call(o2.url, '/api/v2/acme/folders/dashboards/name/default', {
      auth: member,
    });
    expect((byName.body as Folder).folderId).toBe('default');
  });

  it('creates, gets, renames and deletes a folder (v2)', async () => {
    const created = await create('dashboards', 'Infra');
    expect(created.status).toBe(200);
    const folder = folderSchema.parse(created.body);
    expect(folder.folderId).toMatch(/^[0-9A-Za-z]{27}$/);
    expect(folder).toEqual({ folderId: folder.folderId, name: 'Infra', description: 'Infra!' });
    const path = `/api/v2/acme/folders/dashboards/${folder.folderId}`;
    expect((await call(o2.url, path, { auth: viewer })).body).toEqual(folder);
    const renamed = await call(o2.url, path, {
      method: 'PUT',
      auth: member,
      json: { name: 'Infrastructure', description: '' },
    });
    expect([renamed.status, renamed.text]).toEqual([200, 'Folder updated']);
    const list = await call(o2.url, '/api/v2/acme/folders/dashboards', { auth: member });
    expect(folderListSchema.parse(list.body).list.map((f) => f.name)).toEqual([
      'default',
      'Infrastructure',
    ]);
    const deleted = await call(o2.url, path, { method: 'DELETE', auth: member });
    expect([deleted.status, deleted.text]).toEqual([200, 'Folder deleted']);
    expect((await call(o2.url, path, { auth: member })).body).toEqual({
      code: 404,
      message: 'Folder not found',
    });
    for (const method of ['PUT', 'DELETE'] as const) {
      const res = await call(o2.url, path, {
        method,
        auth: member,
        ...(method === 'PUT' ? { json: { name: 'x' } } : {}),
      });
      expect([method, res.status]).toEqual([method, 404]);
    }
  });

  it('keeps folders of each type apart', async () => {
    await create('alerts', 'Paging');
    const dashboards = await call(o2.url, '/api/v2/acme/folders/dashboards', { auth: member });
    expect((dashboards.body as { list: Folder[] }).list.map((f) => f.name)).not.toContain('Paging');
    const byName = await call(o2.url, '/api/v2/acme/folders/reports/name/Paging', { auth: member });
    expect(byName.status).toBe(404);
  });

  it('refuses to change or delete the default folder, and a non-empty one', async () => {
    const put = await call(o2.url, '/api/v2/acme/folders/dashboards/default', {
      method: 'PUT',
      auth: member,
      json: { name: 'renamed' },
    });
    expect(put.body).toEqual({ code: 400, message: "Can't update default folder" });
    const del = await call(o2.url, '/api/v2/acme/folders/dashboards/default', {
      method: 'DELETE',
      auth: member,
    });
    expect(del.body).toEqual({ code: 400, message: "Can't delete default folder" });

    const full = (await create('dashboards', 'Full')).body as Folder;
    await createDashboard(o2.url, 'acme', member, minimalDashboard('inside'), full.folderId);
    const refused = await call(o2.url, `/api/v2/acme/folders/dashboards/${full.folderId}`, {
      method: 'DELETE',
      auth: member,
    });
    expect(refused.body).toEqual({
      code: 400,
      message: 'Folder contains dashboards, please move/delete dashboards from folder',
    });
  });

  it('rejects bad input with 4xx in O2 shape', async () => {
    expect((await create('dashboards', '   ')).body).toEqual({
      code: 400,
      message: 'Folder name cannot be empty',
    });
    await create('dashboards', 'Twice');
    expect((await create('dashboards', 'Twice')).body).toEqual({
      code: 400,
      message: 'Folder with this name already exists in this organization',
    });
    const badType = await call(o2.url, '/api/v2/acme/folders/widgets', { auth: member });
    expect(badType.status).toBe(400);
    const noJson = await call(o2.url, '/api/v2/acme/folders/dashboards', {
      auth: member,
      body: 'name=x',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(noJson.status).toBe(415);
    const notObject = await call(o2.url, '/api/v2/acme/folders/dashboards', {
      auth: member,
      json: ['x'],
    });
    expect(notObject.status).toBe(400);
    const longName = await create('dashboards', 'x'.repeat(300));
    expect(longName.status).toBe(400);
  });

  it('serves the legacy dashboards-folder routes the O2 UI calls', async () => {
    const created = await call(o2.url, '/api/acme/folders', {
      auth: member,
      json: { name: 'Legacy', description: 'old' },
    });
    const folder = created.body as Folder;
    expect(folder.name).toBe('Legacy');
    const list = await call(o2.url, '/api/acme/folders', { auth: member });
    expect((list.body as { list: Folder[] }).list.map((f) => f.folderId)).toContain(
      folder.folderId,
    );
    // The same folder through v2: legacy routes are the dashboards type.
    const v2 = await call(o2.url, `/api/v2/acme/folders/dashboards/${folder.folderId}`, {
      auth: member,
    });
    expect(v2.body).toEqual(folder);
    const put = await call(o2.url, `/api/acme/folders/${folder.folderId}`, {
      method: 'PUT',
      auth: member,
      json: { name: 'Legacy 2', description: 'old' },
    });
    expect(put.status).toBe(200);
    expect((await call(o2.url, '/api/acme/folders/name/Legacy 2', { auth: member })).status).toBe(
      200,
    );
    const del = await call(o2.url, `/api/acme/folders/${folder.folderId}`, {
      method: 'DELETE',
      auth: member,
    });
    expect(del.status).toBe(200);
  });

  it('lets a viewer list but not change folders', async () => {
    expect((await create('dashboards', 'Nope', viewer)).status).toBe(403);
    const del = await call(o2.url, '/api/acme/folders/default', { method: 'DELETE', auth: viewer });
    expect(del.status).toBe(403);
  });

  it('never shows or changes another org’s folders', async () => {
    const mine = (await create('dashboards', 'Mine')).body as Folder;
    for (const [method, path] of [
      ['GET', '/api/v2/acme/folders/dashboards'],
      ['GET', `/api/v2/acme/folders/dashboards/${mine.folderId}`],
      ['DELETE', `/api/v2/acme/folders/dashboards/${mine.folderId}`],
      ['GET', '/api/acme/folders'],
    ] as const) {
      expect((await call(o2.url, path, { method, auth: outsider })).status).toBe(403);
    }
    // Root may enter both: acme's folder id does not exist in "other".
    const cross = await call(o2.url, `/api/v2/other/folders/dashboards/${mine.folderId}`, {
      auth: rootAuth(),
    });
    expect(cross.status).toBe(404);
    const theirs = await call(o2.url, '/api/v2/other/folders/dashboards', { auth: outsider });
    expect((theirs.body as { list: Folder[] }).list.map((f) => f.name)).toEqual(['default']);
  });
});
