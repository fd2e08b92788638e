import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Page } from 'playwright-core';
import { screenshot } from './browser.js';
import {
  NAMESPACES,
  downloadOf,
  editorText,
  expectLegend,
  pick,
  sendK8sMetrics,
  setEditorText,
} from './dashboards-flow.js';
import { login, startUiNode } from './ui-node.js';
import type { UiNode } from './ui-node.js';

vi.setConfig({ testTimeout: 120_000 });

const QUERY = 'sum(k8s_pod_memory_usage) by (k8s_namespace_name)';
const FILTERED =
  'sum(k8s_pod_memory_usage{k8s_namespace_name =~ "$namespace"}) by (k8s_namespace_name)';
const PANEL = 'Memory by namespace';
const json = (labels: string) => NAMESPACES.map((ns) => `{"${labels}":"${ns}"}`);

/** The article's journey (issue 15): metrics → dashboard → variable → filter, then export/import. */
describe('metrics and dashboards in Chromium against a single node fed by remote write', () => {
  let node: UiNode;
  let page: Page;
  let dashboardUrl = '';

  beforeAll(async () => {
    node = await startUiNode('web-dashboards');
    page = node.page;
    await sendK8sMetrics(node.product);
    await login(page);
  }, 120_000);
  afterAll(async () => node?.close());
  afterEach(() => {
    expect(node.problems.list).toEqual([]);
  });

  it('lists metrics with type and help, browses labels, completes PromQL and charts one series per namespace', async () => {
    await page.goto('/web/metrics?org_identifier=default');
    const item = page.getByTestId('metrics-list-item-k8s_pod_memory_usage');
    await expect.poll(() => item.getByTestId('metrics-list-item-type').textContent()).toBe('gauge');
    expect(await item.getByTestId('metrics-list-item-help').textContent()).toBe(
      'Memory usage of the pod in bytes',
    );
    await item.click();
    await page.getByTestId('metrics-label-k8s_namespace_name').getByRole('button').click();
    await page.getByTestId('metrics-label-value-payments').click();
    await expect
      .poll(() => editorText(page))
      .toBe('k8s_pod_memory_usage{k8s_namespace_name="payments"}');
    // Completion: metric names as the user types.
    await setEditorText(page, '');
    await page.getByTestId('metrics-query-editor').click();
    await page.keyboard.type('k8s_pod_mem');
    await page.keyboard.press('Control+Space');
    await expect
      .poll(() => page.locator('.suggest-widget .monaco-list-row').allTextContents(), {
        timeout: 10_000,
      })
      .toContainEqual(expect.stringContaining('k8s_pod_memory_usage'));
    await page.keyboard.press('Escape');
    await setEditorText(page, QUERY);
    await page.getByTestId('metrics-apply').click();
    await expectLegend(page, json('k8s_namespace_name'));
    await screenshot(page, 'metrics-chart');
  });

  it('adds the query to a new dashboard and shows it there', async () => {
    await page.getByTestId('metrics-add-to-dashboard-btn').click();
    await page.getByTestId('metrics-new-dashboard-name-field').fill('K8s memory');
    await page.getByTestId('metrics-new-dashboard-panel-title-field').fill(PANEL);
    await page.getByTestId('o-dialog-primary-btn').click();
    await expect
      .poll(() => page.getByTestId('o-toast-message').textContent())
      .toBe('Panel added to dashboard');
    await page.getByTestId('metrics-open-dashboard-link').click();
    await page.waitForURL(/\/web\/dashboards\/view/);
    dashboardUrl = page.url();
    await expectLegend(page, json('k8s_namespace_name'));
  });

  it('edits the panel: unit and legend template', async () => {
    await page.getByTestId(`dashboard-edit-panel-${PANEL}-dropdown`).click();
    await page.getByTestId('dashboard-edit-panel').click();
    await page.waitForURL(/add_panel/);
    await pick(page, 'dashboard-config-unit', 'bytes');
    await page.getByTestId('dashboard-config-promql-legend-field').fill('{k8s_namespace_name}');
    await page.getByTestId('dashboard-apply').click();
    await expectLegend(page, NAMESPACES);
    // A second query draws its own series, with its own legend; removed again before saving.
    await page.getByTestId('dashboard-query-tab-add').click();
    await setEditorText(page, 'sum(k8s_pod_memory_usage)');
    await page.getByTestId('dashboard-config-promql-legend-field').fill('total');
    await page.getByTestId('dashboard-apply').click();
    await expectLegend(page, [...NAMESPACES, 'total']);
    await screenshot(page, 'dashboard-panel-editor');
    await page.getByTestId('dashboard-query-tab-remove-1').click();
    await page.getByTestId('dashboard-apply').click();
    await expectLegend(page, NAMESPACES);
    await page.getByTestId('dashboard-panel-save').click();
    await page.waitForURL(/dashboards\/view/);
    await expectLegend(page, NAMESPACES);
  });

  it('adds the namespace variable, filters the panel by it and narrows to the chosen namespace', async () => {
    await page.getByTestId('dashboard-setting-btn').click();
    await page.getByTestId('dashboard-settings-variable-tab').click();
    await page.getByTestId('dashboard-add-variable-btn').click();
    await page.getByTestId('dashboard-variable-name-field').fill('namespace');
    await pick(page, 'dashboard-variable-stream-type-select', 'metrics');
    await pick(page, 'dashboard-variable-stream-select', 'k8s_namespace_phase');
    await pick(page, 'dashboard-variable-field-select', 'k8s_namespace_name');
    await page.getByTestId('dashboard-variable-multi-select').check();
    await page.getByTestId('dashboard-variable-save-btn').click();
    await page.getByTestId('dashboard-variable-row-namespace').waitFor();
    await page.getByTestId('o-drawer-close-btn').click();

    await page.getByTestId(`dashboard-edit-panel-${PANEL}-dropdown`).click();
    await page.getByTestId('dashboard-edit-panel').click();
    await page.waitForURL(/add_panel/);
    await setEditorText(page, FILTERED);
    await page.getByTestId('dashboard-panel-save').click();
    await page.waitForURL(/dashboards\/view/);
    // "All" by default: the placeholder drops the matcher, every namespace is there.
    await expectLegend(page, NAMESPACES);
    await page.getByTestId('dashboard-variable-namespace-select-trigger').click();
    const options = page.getByTestId('dashboard-variable-namespace-select-option');
    await expect.poll(() => options.count()).toBe(4);
    const values = await Promise.all(
      (await options.all()).map((o) => o.getAttribute('data-test-value')),
    );
    expect(values).toEqual(['_o2_all_', ...NAMESPACES]);
    await page
      .locator(
        '[data-test="dashboard-variable-namespace-select-option"][data-test-value="payments"]',
      )
      .click();
    await expectLegend(page, ['payments']);
    expect(new URL(page.url()).searchParams.getAll('var-namespace')).toEqual(['payments']);
    await page.mouse.click(5, 5);
    // A cascading variable: pods of the chosen namespace only.
    await page.getByTestId('dashboard-setting-btn').click();
    await page.getByTestId('dashboard-settings-variable-tab').click();
    await page.getByTestId('dashboard-add-variable-btn').click();
    await page.getByTestId('dashboard-variable-name-field').fill('pod');
    await pick(page, 'dashboard-variable-stream-type-select', 'metrics');
    await pick(page, 'dashboard-variable-stream-select', 'k8s_pod_memory_usage');
    await pick(page, 'dashboard-variable-field-select', 'k8s_pod_name');
    await page.getByTestId('dashboard-variable-filter-field-field').fill('k8s_namespace_name');
    await page.getByTestId('dashboard-variable-filter-value-field').fill('$namespace');
    await page.getByTestId('dashboard-variable-save-btn').click();
    await page.getByTestId('dashboard-variable-row-pod').waitFor();
    await page.getByTestId('o-drawer-close-btn').click();
    await page.getByTestId('dashboard-variable-pod-select-trigger').click();
    const pods = page.getByTestId('dashboard-variable-pod-select-option');
    await expect
      .poll(async () =>
        Promise.all((await pods.all()).map((o) => o.getAttribute('data-test-value'))),
      )
      .toEqual(['payments-pod-0', 'payments-pod-1']);
    await page.keyboard.press('Escape');
    await expectLegend(page, ['payments']);
    await screenshot(page, 'dashboard-filtered');
  });

  it('exports the dashboard, deletes it, imports the file and renders it identically', async () => {
    await page.goto(dashboardUrl);
    await expectLegend(page, NAMESPACES);
    await page.getByTestId('dashboard-back-btn').click();
    const row = page.getByTestId('o2-table-row-0');
    await expect.poll(() => row.getByTestId('o2-table-cell-name').textContent()).toBe('K8s memory');
    const exported = await downloadOf(page, () => row.getByTestId('dashboard-export').click());
    const oldId = (JSON.parse(exported) as { dashboardId: string }).dashboardId;
    expect(JSON.parse(exported)).toMatchObject({
      title: 'K8s memory',
      variables: {
        list: [
          { name: 'namespace', type: 'query_values' },
          {
            name: 'pod',
            query_data: { filter: [{ name: 'k8s_namespace_name', value: '$namespace' }] },
          },
        ],
      },
    });

    await row.getByTestId('dashboard-delete').click();
    await page.getByTestId('o-dialog-primary-btn').click();
    await expect.poll(() => page.getByTestId('o2-table-row-0').count()).toBe(0);

    const file = join(tmpdir(), `o2ts-dashboard-${process.pid}.json`);
    await writeFile(file, exported);
    await page.getByTestId('dashboard-import').click();
    await page.getByTestId('dashboard-import-file-input').setInputFiles(file);
    await page.getByTestId('o-dialog-primary-btn').click();
    await expect.poll(() => row.getByTestId('o2-table-cell-name').textContent()).toBe('K8s memory');
    const again = await downloadOf(page, () => row.getByTestId('dashboard-export').click());
    const newId = (JSON.parse(again) as { dashboardId: string }).dashboardId;
    expect(newId).not.toBe(oldId);
    // Byte for byte, but for the id the server gives the new dashboard.
    expect(again.replace(newId, oldId)).toBe(exported);

    await row.click();
    await page.waitForURL(/dashboards\/view/);
    await expectLegend(page, NAMESPACES);
    await screenshot(page, 'dashboard-imported');
  });
});
