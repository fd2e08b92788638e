import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestSeries, startMetricsNode } from '../test-support/metrics-node.js';
import { call, makeDbDir, rootAuth } from '../test-support/start-router.js';
import type { StartedRouter } from '../test-support/start-router.js';

/** A router wired to a real in-process ingester and querier, with `env` on top. */
async function startNode(dir: string, env: Record<string, string>): Promise<StartedRouter> {
  const { o2, ingester } = await startMetricsNode(dir, env);
  const now = Date.now();
  await ingestSeries(ingester, 'default', [
    {
      name: 'pod_memory',
      labels: { k8s_namespace_name: 'shop' },
      samples: [{ t: now - 60_000, v: 2 }],
    },
    {
      name: 'pod_memory',
      labels: { k8s_namespace_name: 'billing' },
      samples: [{ t: now - 60_000, v: 3 }],
    },
  ]);
  return o2;
}

const RECORDS = [
  { k8s_namespace_name: 'shop', log: 'a' },
  { k8s_namespace_name: 'shop', log: 'b' },
  { k8s_namespace_name: 'billing', log: 'c' },
];

/** What a dashboard panel sends: `_search` with `search_type=dashboards` and its ids. */
async function panelSearch(o2: StartedRouter, where: string, extra = '') {
  const now = Date.now() * 1000;
  const res = await call(
    o2.url,
    `/api/default/_search?type=logs&search_type=dashboards&dashboard_id=D1&panel_id=P1&panel_name=pods${extra}`,
    {
      auth: rootAuth(),
      json: {
        query: {
          sql: `SELECT k8s_namespace_name AS ns, count(*) AS n FROM "app" WHERE ${where} GROUP BY ns ORDER BY ns`,
          start_time: now - 3_600_000_000,
          end_time: now + 60_000_000,
        },
      },
    },
  );
  return res;
}

describe('dashboard searches', () => {
  let dir: { path: string; remove(): Promise<void> };
  let o2: StartedRouter;
  let custom: StartedRouter;

  beforeAll(async () => {
    dir = await makeDbDir();
    o2 = await startNode(`${dir.path}/a`, {});
    custom = await startNode(`${dir.path}/b`, { ZO_DASHBOARD_PLACEHOLDER: '__every__' });
    for (const node of [o2, custom]) {
      const res = await call(node.url, '/api/default/app/_json', {
        auth: rootAuth(),
        json: RECORDS,
      });
      expect(res.status).toBe(200);
    }
  });
  afterAll(async () => {
    await Promise.all([o2.close(), custom.close()]);
    await dir.remove();
  });

  it('reads an "All" variable value (the placeholder) as no filter', async () => {
    const all = await panelSearch(o2, "k8s_namespace_name IN ('_o2_all_')");
    expect([all.status, (all.body as { hits: unknown[] }).hits]).toEqual([
      200,
      [
        { ns: 'billing', n: 1 },
        { ns: 'shop', n: 2 },
      ],
    ]);
    const one = await panelSearch(o2, "k8s_namespace_name IN ('shop')");
    expect((one.body as { hits: unknown[] }).hits).toEqual([{ ns: 'shop', n: 2 }]);
    const none = await panelSearch(o2, "k8s_namespace_name != '_o2_all_'");
    expect((none.body as { hits: unknown[] }).hits).toEqual([]);
  });

  it('reads a PromQL matcher naming the placeholder as no filter', async () => {
    const query = async (node: StartedRouter, selector: string) => {
      const params = new URLSearchParams({
        query: `sum(pod_memory${selector})`,
        time: String(Date.now() / 1000),
      });
      const res = await call(
        node.url,
        `/api/default/prometheus/api/v1/query?${params.toString()}`,
        {
          auth: rootAuth(),
        },
      );
      expect(res.status).toBe(200);
      const result = (res.body as { data: { result: Array<{ value: [number, string] }> } }).data
        .result;
      return result.map((r) => r.value[1]);
    };
    expect(await query(o2, '{k8s_namespace_name=~"_o2_all_"}')).toEqual(['5']);
    expect(await query(o2, '{k8s_namespace_name=~"shop|_o2_all_"}')).toEqual(['5']);
    expect(await query(o2, '{k8s_namespace_name="shop"}')).toEqual(['2']);
    expect(await query(o2, '{k8s_namespace_name!="_o2_all_"}')).toEqual([]);
    expect(await query(custom, '{k8s_namespace_name=~"__every__"}')).toEqual(['5']);
  });

  it('honours ZO_DASHBOARD_PLACEHOLDER, and says it in /config', async () => {
    const all = await panelSearch(custom, "k8s_namespace_name = '__every__'");
    expect((all.body as { hits: unknown[] }).hits).toHaveLength(2);
    const literal = await panelSearch(custom, "k8s_namespace_name = '_o2_all_'");
    expect((literal.body as { hits: unknown[] }).hits).toEqual([]);
    const config = await call(custom.url, '/config');
    expect((config.body as Record<string, unknown>)['dashboard_placeholder']).toBe('__every__');
    const standard = await call(o2.url, '/config');
    expect((standard.body as Record<string, unknown>)['dashboard_placeholder']).toBe('_o2_all_');
  });

  it('logs the dashboard and panel ids with the search, and checks search_type', async () => {
    o2.logs.length = 0;
    await panelSearch(o2, 'true');
    const line = o2.logs
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .find((l) => l['msg'] === 'dashboard search');
    expect(line).toMatchObject({
      org: 'default',
      search_type: 'dashboards',
      dashboard_id: 'D1',
      panel_id: 'P1',
      panel_name: 'pods',
    });
    const now = Date.now() * 1000;
    const bad = await call(o2.url, '/api/default/_search?search_type=bogus', {
      auth: rootAuth(),
      json: { query: { sql: 'SELECT 1 FROM "app"', start_time: now - 1, end_time: now } },
    });
    expect(bad.body).toEqual({ code: 400, message: 'invalid search_type: bogus' });
  });
});
