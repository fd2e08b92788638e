import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { panelEditSchema } from '@o2/api-schemas';
import type { DashboardV8 } from '@o2/dashboards';
import {
  createDashboard,
  linePanel,
  minimalDashboard,
} from '../test-support/dashboard-fixtures.js';
import type { Wrapper } from '../test-support/dashboard-fixtures.js';
import { call } from '../test-support/start-router.js';
import type { StartedRouter } from '../test-support/start-router.js';
import { startDashboardRouter } from '../test-support/dashboard-router.js';
import type { DashboardRouter } from '../test-support/dashboard-router.js';

describe('dashboard panels and annotations', () => {
  let node: DashboardRouter;
  let o2: StartedRouter;
  let member: string;
  let viewer: string;

  beforeAll(async () => {
    node = await startDashboardRouter();
    ({ o2, member, viewer } = node);
  });
  afterAll(async () => {
    await node?.close();
  });

  const panelsOf = async (id: string) => {
    const res = await call(o2.url, `/api/acme/dashboards/${id}`, { auth: member });
    const v8 = (res.body as Wrapper).v8 as unknown as DashboardV8;
    return (v8.tabs ?? []).map((t) => [t.tabId, (t.panels ?? []).map((p) => [p.id, p.title])]);
  };

  it('adds, updates and deletes a panel, each with the current hash', async () => {
    const d = await createDashboard(o2.url, 'acme', member, minimalDashboard('panels'));
    const id = d.v8.dashboardId;
    const added = await call(o2.url, `/api/acme/dashboards/${id}/panels?hash=${d.hash}`, {
      auth: member,
      json: { panel: linePanel('p2', 'memory') },
    });
    expect(added.status).toBe(200);
    panelEditSchema.parse(added.body);
    const addBody = added.body as { panel: { id: string }; hash: string; tab_id: string };
    expect(addBody.panel.id).toBe('p2');
    expect(addBody.tab_id).toBe('default');
    expect(addBody.hash).not.toBe(d.hash);
    expect(await panelsOf(id)).toEqual([
      [
        'default',
        [
          ['p1', 'cpu'],
          ['p2', 'memory'],
        ],
      ],
    ]);

    const updated = await call(
      o2.url,
      `/api/acme/dashboards/${id}/panels/p2?hash=${addBody.hash}`,
      {
        method: 'PUT',
        auth: member,
        json: { panel: linePanel('ignored', 'memory (MiB)'), tab_id: 'default' },
      },
    );
    expect(updated.status).toBe(200);
    const updBody = panelEditSchema.parse(updated.body);
    expect(updBody).toMatchObject({
      tab_id: 'default',
      panel: { id: 'p2', title: 'memory (MiB)' },
    });
    expect(await panelsOf(id)).toEqual([
      [
        'default',
        [
          ['p1', 'cpu'],
          ['p2', 'memory (MiB)'],
        ],
      ],
    ]);
    // A bare panel (older UIs) is taken too.
    const bare = await call(
      o2.url,
      `/api/acme/dashboards/${id}/panels/p2?hash=${updBody.hash}&tabId=default`,
      {
        method: 'PUT',
        auth: member,
        json: linePanel('p2', 'memory (GiB)'),
      },
    );
    expect(bare.status).toBe(200);
    const bareHash = panelEditSchema.parse(bare.body).hash;

    const stale = await call(o2.url, `/api/acme/dashboards/${id}/panels/p2?hash=${addBody.hash}`, {
      method: 'DELETE',
      auth: member,
    });
    expect(stale.status).toBe(409);
    const deleted = await call(o2.url, `/api/acme/dashboards/${id}/panels/p2?hash=${bareHash}`, {
      method: 'DELETE',
      auth: member,
    });
    expect(deleted.status).toBe(200);
    expect(Object.keys(deleted.body as object)).toEqual(['hash', 'panel_id']);
    expect((deleted.body as { panel_id: string }).panel_id).toBe('p2');
    expect(await panelsOf(id)).toEqual([['default', [['p1', 'cpu']]]]);
    // The wrapper's hash is the one the panel route answered.
    const now = await call(o2.url, `/api/acme/dashboards/${id}`, { auth: member });
    expect((now.body as Wrapper).hash).toBe((deleted.body as { hash: string }).hash);
  });

  it('adds to a named tab, and creates the default tab of an empty dashboard', async () => {
    const d = await createDashboard(o2.url, 'acme', member, { title: 'empty', version: 8 });
    const id = d.v8.dashboardId;
    const res = await call(o2.url, `/api/acme/dashboards/${id}/panels?hash=${d.hash}`, {
      auth: member,
      json: { panel: linePanel('first') },
    });
    expect((res.body as { tab_id: string }).tab_id).toBe('default');
    expect(await panelsOf(id)).toEqual([['default', [['first', 'cpu']]]]);
    const hash = (res.body as { hash: string }).hash;
    const badTab = await call(o2.url, `/api/acme/dashboards/${id}/panels?hash=${hash}`, {
      auth: member,
      json: { panel: linePanel('second'), tab_id: 'nope' },
    });
    expect(badTab.status).toBe(404);
  });

  it('refuses panel edits without a hash (400), unknown panels (404), bad panels (422)', async () => {
    const d = await createDashboard(o2.url, 'acme', member, minimalDashboard('strict'));
    const base = `/api/acme/dashboards/${d.v8.dashboardId}/panels`;
    const noHash = await call(o2.url, base, { auth: member, json: { panel: linePanel('x') } });
    expect(noHash.body).toEqual({ code: 400, message: 'hash query parameter is required' });
    const unknown = await call(o2.url, `${base}/zz?hash=${d.hash}`, {
      method: 'DELETE',
      auth: member,
    });
    expect(unknown.body).toEqual({ code: 404, message: 'Panel not found' });
    const { title: _dropped, ...noTitle } = linePanel('x');
    const bad = await call(o2.url, `${base}?hash=${d.hash}`, {
      auth: member,
      json: { panel: noTitle },
    });
    expect(bad.body).toEqual({ code: 422, message: 'Invalid panel: panel.title is required' });
    const dup = await call(o2.url, `${base}?hash=${d.hash}`, {
      auth: member,
      json: { panel: linePanel('p1') },
    });
    expect(dup.status).toBe(409);
    const asViewer = await call(o2.url, `${base}?hash=${d.hash}`, {
      auth: viewer,
      json: { panel: linePanel('v') },
    });
    expect(asViewer.status).toBe(403);
  });

  it('creates, lists, updates and deletes timed annotations', async () => {
    const d = await createDashboard(o2.url, 'acme', member, minimalDashboard('notes'));
    const base = `/api/acme/dashboards/${d.v8.dashboardId}/annotations`;
    const created = await call(o2.url, base, {
      auth: member,
      json: {
        timed_annotations: [
          {
            start_time: 1_000,
            end_time: 2_000,
            title: 'deploy',
            text: 'v2',
            tags: ['prod'],
            panels: ['p1'],
          },
          { start_time: 5_000, title: 'restart', panels: ['p1', 'p2'] },
        ],
      },
    });
    expect(created.status).toBe(200);
    const [first, second] = created.body as Array<{ annotation_id: string }>;
    expect(first).toMatchObject({
      start_time: 1_000,
      end_time: 2_000,
      title: 'deploy',
      tags: ['prod'],
    });
    expect(second).toMatchObject({ end_time: null, text: null, tags: [] });

    const list = async (query: string) =>
      (
        (await call(o2.url, `${base}?${query}`, { auth: viewer })).body as Array<{ title: string }>
      ).map((a) => a.title);
    expect(await list('start_time=0&end_time=10000')).toEqual(['deploy', 'restart']);
    expect(await list('start_time=3000&end_time=10000&panels=p2')).toEqual(['restart']);
    expect(await list('start_time=0&end_time=10000&panels=p9')).toEqual([]);

    const put = await call(o2.url, `${base}/${first!.annotation_id}`, {
      method: 'PUT',
      auth: member,
      json: { start_time: 1_500, title: 'deploy v2', panels: ['p1'] },
    });
    expect(put.body).toMatchObject({
      annotation_id: first!.annotation_id,
      start_time: 1_500,
      end_time: null,
    });
    const off = await call(o2.url, `${base}/panels/${second!.annotation_id}`, {
      method: 'DELETE',
      auth: member,
      json: ['p1'],
    });
    expect(off.status).toBe(200);
    expect(await list('start_time=0&end_time=10000&panels=p1')).toEqual(['deploy v2']);
    const del = await call(o2.url, base, {
      method: 'DELETE',
      auth: member,
      json: { annotation_ids: [first!.annotation_id] },
    });
    expect(del.status).toBe(200);
    expect(await list('start_time=0&end_time=10000')).toEqual(['restart']);
  });

  it('rejects bad annotation input with 400', async () => {
    const d = await createDashboard(o2.url, 'acme', member, minimalDashboard('bad notes'));
    const base = `/api/acme/dashboards/${d.v8.dashboardId}/annotations`;
    const cases: Array<[unknown, string]> = [
      [{ timed_annotations: [] }, 'timed_annotations must not be empty'],
      [
        { timed_annotations: [{ start_time: 5, end_time: 1, title: 't', panels: ['p'] }] },
        'end_time must not be before start_time',
      ],
      [
        { timed_annotations: [{ start_time: 'x', title: 't', panels: ['p'] }] },
        'timed_annotations.0.start_time must be an integer (µs)',
      ],
    ];
    for (const [json, message] of cases) {
      expect((await call(o2.url, base, { auth: member, json })).body).toEqual({
        code: 400,
        message,
      });
    }
    expect((await call(o2.url, `${base}?start_time=x&end_time=1`, { auth: member })).status).toBe(
      400,
    );
    const noPanels = await call(o2.url, `${base}/panels/a1`, {
      method: 'DELETE',
      auth: member,
      json: [],
    });
    expect(noPanels.body).toEqual({ code: 400, message: 'panels cannot be empty' });
    const unknown = await call(o2.url, `${base}/zz`, {
      method: 'PUT',
      auth: member,
      json: { start_time: 1, title: 't', panels: ['p'] },
    });
    expect(unknown.status).toBe(404);
  });
});
