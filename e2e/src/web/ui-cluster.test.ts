import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Page } from 'playwright-core';
import { ROLE_CLUSTER_ROOT } from '../cluster/role-cluster.js';
import { basicAuth } from '../product-process.js';
import type { ProductProcess } from '../product-process.js';
import { screenshot } from './browser.js';
import type { PageProblems } from './browser.js';
import { startUiCluster } from './ui-cluster.js';
import type { UiCluster } from './ui-cluster.js';

vi.setConfig({ testTimeout: 90_000 });
const ROOT = ROLE_CLUSTER_ROOT;
const STREAM = 'k8s_cluster_logs';

/**
 * The article's path through the UI once against a cluster of role processes (router,
 * ingester, querier over real NATS, Postgres and MinIO): the UI is the router's, the data is the
 * ingester's, the search is the querier's.
 */
describe('web UI in Chromium against a cluster', () => {
  let ui: UiCluster;
  let router: ProductProcess;
  let page: Page;
  let problems: PageProblems;

  beforeAll(async () => {
    ui = await startUiCluster('webui', 1);
    ({ router, page, problems } = ui);
  }, 240_000);

  afterAll(async () => {
    await ui?.close();
  }, 120_000);

  it('logs in, sees the ingested stream on home and streams, and finds a record', async () => {
    // The ingester registers asynchronously: retry the first write until the router has one.
    const records = Array.from({ length: 30 }, (_, i) => ({
      log: `GET /checkout ${i} id-${i}z`,
      k8s_namespace_name: 'shop',
    }));
    await expect
      .poll(
        async () =>
          (
            await fetch(`${router.url}/api/default/${STREAM}/_json`, {
              method: 'POST',
              headers: {
                authorization: basicAuth(ROOT.email, ROOT.password),
                'content-type': 'application/json',
              },
              body: JSON.stringify(records),
            })
          ).status,
        { timeout: 60_000, interval: 500 },
      )
      .toBe(200);

    await page.goto('/');
    await page.waitForURL(/\/web\/login$/);
    await page.getByTestId('login-user-id').fill(ROOT.email);
    await page.getByTestId('login-password').fill(ROOT.password);
    await page.getByTestId('login-sign-in').click();
    await page.waitForURL(/\/web\/?\?org_identifier=default$/);
    await expect.poll(() => page.getByTestId('home-streams-value').textContent()).toBe('1');
    expect(await page.getByTestId('home-events-value').textContent()).toBe('30');
    await screenshot(page, 'cluster-home-light');

    await page.getByTestId('menu-link-/streams-item').click();
    const name = page.getByTestId('o2-table-row-0').getByTestId('o2-table-cell-name');
    await expect.poll(() => name.textContent()).toBe(STREAM);

    await page.goto(`/web/logs?org_identifier=default&stream=${STREAM}&period=1h`);
    const summary = page.getByTestId('logs-search-result-summary');
    await expect.poll(() => summary.textContent()).toMatch(/^Showing 1 to 30 of 30 events/);
    await expect.poll(() => page.evaluate<boolean>('window.monaco !== undefined')).toBe(true);
    await page.evaluate(`window.monaco.editor.getEditors()[0].setValue("match_all('id-7z')")`);
    await page.getByTestId('logs-search-bar-refresh-btn').click();
    await expect.poll(() => summary.textContent()).toMatch(/^Showing 1 to 1 of 1 events/);
    await screenshot(page, 'cluster-logs-light');
    expect(problems.list).toEqual([]);
  });
});
