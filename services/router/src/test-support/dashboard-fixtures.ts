import { readFileSync } from 'node:fs';
import { basic, call, rootAuth } from './start-router.js';

/** A fixture dashboard under `test-support/dashboards/`, as the exact text of the file. */
export function dashboardFixture(name: 'every-panel-v8' | 'v1-dashboard'): string {
  return readFileSync(new URL(`./dashboards/${name}.json`, import.meta.url), 'utf8');
}

/** The smallest v8 dashboard O2 accepts, with one line panel. */
export function minimalDashboard(title: string): Record<string, unknown> {
  return {
    version: 8,
    title,
    description: '',
    tabs: [{ tabId: 'default', name: 'Default', panels: [linePanel('p1')] }],
  };
}

export function linePanel(id: string, title = 'cpu'): Record<string, unknown> {
  return {
    id,
    type: 'line',
    title,
    description: '',
    config: { show_legends: true, legends_position: null },
    queryType: 'promql',
    queries: [
      {
        query: 'sum(rate(cpu[5m]))',
        vrlFunctionQuery: '',
        customQuery: true,
        fields: {
          stream: 'cpu',
          stream_type: 'metrics',
          x: [],
          y: [{ label: 'cpu', alias: 'y_axis_1', column: 'value', color: null }],
          filter: { filterType: 'group', logicalOperator: 'AND', conditions: [] },
        },
        config: { promql_legend: '' },
      },
    ],
    layout: { x: 0, y: 0, w: 24, h: 9, i: 1 },
  };
}

export interface Wrapper {
  v8: Record<string, unknown> & { dashboardId: string; title: string };
  version: number;
  hash: string;
  updatedAt: number;
}

/** Creates org `org` (root is its admin) and a user of it with `role`; returns their auth. */
export async function orgWithUser(
  url: string,
  org: string,
  user: { email: string; role: string },
): Promise<string> {
  await call(url, '/api/organizations', { auth: rootAuth(), json: { name: org, identifier: org } });
  const password = 'Userpass#123';
  const res = await call(url, `/api/${org}/users`, {
    auth: rootAuth(),
    json: { email: user.email, password, role: user.role },
  });
  if (res.status !== 200) throw new Error(`could not create ${user.email}: ${res.text}`);
  return basic(user.email, password);
}

/** POSTs a dashboard body (object or exact text) and returns the stored wrapper. */
export async function createDashboard(
  url: string,
  org: string,
  auth: string,
  body: Record<string, unknown> | string,
  folder?: string,
): Promise<Wrapper> {
  const res = await call(
    url,
    `/api/${org}/dashboards${folder === undefined ? '' : `?folder=${folder}`}`,
    {
      auth,
      ...(typeof body === 'string'
        ? { body, headers: { 'content-type': 'application/json' } }
        : { json: body }),
    },
  );
  if (res.status !== 200) throw new Error(`create failed: ${res.status} ${res.text}`);
  return res.body as Wrapper;
}

/** The raw text of `"v8":…` in a GET response (what an export writes to a file). */
export function v8Text(responseText: string): string {
  const start = responseText.indexOf('"v8":') + '"v8":'.length;
  const end = responseText.lastIndexOf(',"version":');
  return responseText.slice(start, end);
}
