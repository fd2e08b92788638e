import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PANEL_TYPES, VARIABLE_TYPES } from '@o2/dashboards';
import type { DashboardV8, FilterGroup } from '@o2/dashboards';
import { createDashboard, dashboardFixture, v8Text } from '../test-support/dashboard-fixtures.js';
import type { Wrapper } from '../test-support/dashboard-fixtures.js';
import { call } from '../test-support/start-router.js';
import type { StartedRouter } from '../test-support/start-router.js';
import { startDashboardRouter } from '../test-support/dashboard-router.js';
import type { DashboardRouter } from '../test-support/dashboard-router.js';

type FixtureDoc = DashboardV8 & { dashboardId: string };

/** The first query of the first panel of the first tab. */
function firstQuery(doc: DashboardV8) {
  const query = doc.tabs?.[0]?.panels?.[0]?.queries[0];
  if (query === undefined) throw new Error('no query');
  return query;
}

/** `text` with its top-level dashboardId value replaced (the one key import assigns anew). */
const withId = (text: string, from: string, to: string): string =>
  text.replace(`"dashboardId": ${JSON.stringify(from)}`, `"dashboardId": ${JSON.stringify(to)}`);

describe('dashboard import/export round trip', () => {
  let node: DashboardRouter;
  let o2: StartedRouter;
  let auth: string;
  const exported = dashboardFixture('every-panel-v8');
  const fixture = JSON.parse(exported) as FixtureDoc;

  beforeAll(async () => {
    node = await startDashboardRouter();
    ({ o2, member: auth } = node);
  });
  afterAll(async () => {
    await node?.close();
  });

  it('has a fixture covering every panel type and variable kind', () => {
    const panelTypes = new Set(
      (fixture.tabs ?? []).flatMap((t) => (t.panels ?? []).map((p) => p.type)),
    );
    const expected = PANEL_TYPES.filter((t) => t !== 'maps');
    expect([...panelTypes].sort()).toEqual([...expected].sort());
    expect(fixture.variables?.list?.map((v) => v.type)).toEqual([...VARIABLE_TYPES]);
  });

  it('serves an imported v8 export byte for byte, apart from the new dashboardId', async () => {
    const created = await createDashboard(o2.url, 'acme', auth, exported);
    const id = created.v8.dashboardId;
    expect(id).not.toBe(fixture.dashboardId);
    const got = await call(o2.url, `/api/acme/dashboards/${id}`, { auth });
    expect(v8Text(got.text)).toBe(withId(exported, fixture.dashboardId, id));
    // What a re-serialiser would have changed is still spelled as in the file.
    expect(got.text).toContain('"line_thickness": 1.50');
    expect(got.text).toContain('line panel \\u00e9t\\u00e9');
    expect(got.text).toContain('"title": "Kubernetes — overview"');
  });

  it('exports, deletes, imports and exports the same bytes again', async () => {
    const first = await createDashboard(o2.url, 'acme', auth, exported);
    const firstText = v8Text(
      (await call(o2.url, `/api/acme/dashboards/${first.v8.dashboardId}`, { auth })).text,
    );
    const del = await call(o2.url, `/api/acme/dashboards/${first.v8.dashboardId}`, {
      method: 'DELETE',
      auth,
    });
    expect(del.status).toBe(200);
    const again = await createDashboard(o2.url, 'acme', auth, firstText);
    const againText = v8Text(
      (await call(o2.url, `/api/acme/dashboards/${again.v8.dashboardId}`, { auth })).text,
    );
    expect(againText).toBe(withId(firstText, first.v8.dashboardId, again.v8.dashboardId));
    // The list carries the same document.
    const list = await call(o2.url, `/api/acme/dashboards?title=overview`, { auth });
    const item = (list.body as { dashboards: Wrapper[] }).dashboards.find(
      (d) => d.v8.dashboardId === again.v8.dashboardId,
    );
    expect(JSON.stringify(item?.v8)).toBe(JSON.stringify(JSON.parse(againText)));
  });

  it('keeps the body of an update byte for byte too', async () => {
    const created = await createDashboard(o2.url, 'acme', auth, exported);
    const id = created.v8.dashboardId;
    const edited = withId(exported, fixture.dashboardId, id).replace('"15m"', '"1h"');
    const put = await call(o2.url, `/api/acme/dashboards/${id}?hash=${created.hash}`, {
      method: 'PUT',
      auth,
      body: edited,
      headers: { 'content-type': 'application/json' },
    });
    expect(put.status).toBe(200);
    expect(v8Text(put.text)).toBe(edited);
  });

  it('fills owner and created only when the document has none', async () => {
    const bare = '{"title":"bare","version":8}';
    const created = await createDashboard(o2.url, 'acme', auth, bare);
    const got = await call(o2.url, `/api/acme/dashboards/${created.v8.dashboardId}`, { auth });
    const text = v8Text(got.text);
    expect(text.startsWith('{"title":"bare","version":8,"dashboardId":')).toBe(true);
    expect(created.v8).toMatchObject({ owner: 'dev@acme.io', title: 'bare' });
    expect(Date.parse(String(created.v8['created']))).toBeGreaterThan(0);
  });
});

describe('older dashboard versions', () => {
  let node: DashboardRouter;
  let o2: StartedRouter;
  let auth: string;

  beforeAll(async () => {
    node = await startDashboardRouter();
    ({ o2, member: auth } = node);
  });
  afterAll(async () => {
    await node?.close();
  });

  it('reads a v1 dashboard (no version key) and stores it as v8', async () => {
    const created = await createDashboard(o2.url, 'acme', auth, dashboardFixture('v1-dashboard'));
    expect(created.version).toBe(8);
    const v8 = created.v8 as unknown as DashboardV8;
    expect(v8).toMatchObject({
      version: 8,
      owner: 'root@example.com',
      created: '2023-03-30T07:49:41.744+00:00',
    });
    expect(v8).not.toHaveProperty('panels');
    expect(v8).not.toHaveProperty('layouts');
    expect(v8.tabs?.map((t) => [t.tabId, t.name])).toEqual([['default', 'Default']]);
    const panel = v8.tabs?.[0]?.panels?.[0];
    expect(panel).toMatchObject({
      id: 'Panel_ID7857010',
      type: 'bar',
      title: 'p5',
      description: 'sample',
      queryType: 'sql',
      config: { show_legends: true, legends_position: 'bottom' },
      // 12 → 48 columns: x and w × 4.
      layout: { x: 4, y: 0, w: 24, h: 13, i: 1 },
    });
    const query = firstQuery(v8);
    expect(query).toMatchObject({ customQuery: false, config: { promql_legend: 'right' } });
    expect(query.query).toContain('histogram(_timestamp)');
    expect(query.fields.x[0]).toEqual({
      label: 'Timestamp',
      alias: 'x_axis_1',
      column: '_timestamp',
      color: null,
      type: 'build',
      functionName: 'histogram',
      args: [{ type: 'field', value: { field: '_timestamp' } }],
    });
    expect(query.fields.y[0]).toMatchObject({ functionName: 'count', type: 'build' });
    expect(query.fields.filter).toEqual({
      filterType: 'group',
      logicalOperator: 'AND',
      conditions: [
        {
          type: 'condition',
          values: [],
          column: { field: 'method' },
          operator: 'Is Not Null',
          value: null,
          logicalOperator: 'AND',
          filterType: 'condition',
        },
        {
          type: 'list',
          values: ['stdout', 'stderr'],
          column: { field: 'stream' },
          operator: null,
          value: null,
          logicalOperator: 'AND',
          filterType: 'condition',
        },
      ],
    });
    expect(v8.variables).toEqual({
      list: [
        {
          type: 'custom',
          name: 'env',
          label: 'Env',
          query_data: null,
          value: 'prod',
          options: [{ label: 'prod', value: 'prod' }],
        },
      ],
    });
  });

  it('reads v3 (tabs, list filters, aggregationFunction) into v8', async () => {
    const v3 = {
      version: 3,
      title: 'v3',
      description: '',
      tabs: [
        {
          tabId: 'default',
          name: 'Default',
          panels: [
            {
              id: 'p',
              type: 'line',
              title: 't',
              description: '',
              config: { show_legends: false, legends_position: null },
              queryType: 'sql',
              layout: { x: 0, y: 0, w: 48, h: 9, i: 1 },
              queries: [
                {
                  query: 'SELECT 1',
                  customQuery: false,
                  config: { promql_legend: '' },
                  fields: {
                    stream: 's',
                    stream_type: 'logs',
                    x: [
                      {
                        label: 'T',
                        alias: 'x',
                        column: '_timestamp',
                        color: null,
                        aggregationFunction: 'histogram',
                        args: [{ value: '1 minute' }],
                      },
                    ],
                    y: [{ label: 'N', alias: 'y', column: 'n', color: null }],
                    filter: [
                      {
                        type: 'condition',
                        values: [],
                        column: 'level',
                        operator: '=',
                        value: 'error',
                      },
                    ],
                  },
                },
              ],
            },
          ],
        },
      ],
    };
    const created = await createDashboard(o2.url, 'acme', auth, v3);
    const v8 = created.v8 as unknown as DashboardV8;
    const query = firstQuery(v8);
    expect(query.fields.x[0]?.args).toEqual([
      { type: 'field', value: { field: '_timestamp' } },
      { type: 'histogramInterval', value: '1 minute' },
    ]);
    expect(query.fields.y[0]).toMatchObject({ type: 'build', functionName: null });
    expect((query.fields.filter as FilterGroup).conditions[0]).toMatchObject({
      column: { field: 'level' },
      value: 'error',
    });
    expect(v8.tabs?.[0]?.panels?.[0]?.layout).toEqual({ x: 0, y: 0, w: 48, h: 9, i: 1 });
  });

  it('answers 422 for an old document that still lacks a required key', async () => {
    const res = await call(o2.url, '/api/acme/dashboards', {
      auth,
      json: {
        version: 2,
        title: 'x',
        panels: [
          {
            id: 'p',
            type: 'bar',
            title: 't',
            description: '',
            config: { show_legends: true },
            queries: [{ customQuery: false, config: { promql_legend: '' } }],
          },
        ],
      },
    });
    expect(res.status).toBe(422);
    expect((res.body as { message: string }).message).toBe(
      'Invalid dashboard: tabs.0.panels.0.queries.0.fields is required',
    );
  });
});
