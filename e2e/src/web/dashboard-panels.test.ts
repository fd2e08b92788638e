import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Page } from 'playwright-core';
import { screenshot } from './browser.js';
import { expectLegend, pick } from './dashboards-flow.js';
import { apiGet, ingest, k8sRecords, login, startUiNode } from './ui-node.js';
import type { UiNode } from './ui-node.js';

vi.setConfig({ testTimeout: 120_000 });

const PANEL = 'Logs by level';
const SQL = `SELECT histogram(_timestamp) as "x", count(_timestamp) as "y" FROM "k8s_logs" WHERE level = '$level' AND log != '$skip' GROUP BY "x" ORDER BY "x"`;

interface Wrapper {
  v8: {
    tabs: Array<{
      tabId: string;
      name: string;
      panels: Array<{ layout: { x: number; w: number } }>;
    }>;
  };
}

/** The SQL side of dashboards: builder panel, tabs, custom/textbox variables, drag and resize. */
describe('dashboard SQL panels, tabs, variables and layout in Chromium', () => {
  let node: UiNode;
  let page: Page;
  let dashboardId = '';
  const stored = async () =>
    (await apiGet(node.product, `/api/default/dashboards/${dashboardId}`)) as Wrapper;

  beforeAll(async () => {
    node = await startUiNode('web-dashboard-panels');
    page = node.page;
    await ingest(node.product, 'default', 'k8s_logs', k8sRecords(40));
    await login(page);
  }, 120_000);
  afterAll(async () => node?.close());
  afterEach(() => {
    expect(node.problems.list).toEqual([]);
  });

  it('creates a dashboard and a bar panel from the SQL builder, split by a breakdown', async () => {
    await page.goto('/web/dashboards?org_identifier=default');
    await page.getByTestId('dashboard-add').click();
    await page.getByTestId('add-dashboard-name-field').fill('Logs');
    await page.getByTestId('o-dialog-primary-btn').click();
    await page.waitForURL(/dashboards\/view/);
    dashboardId = new URL(page.url()).searchParams.get('dashboard') ?? '';
    await page.getByTestId('dashboard-if-no-panel-add-panel-btn').click();
    await page.getByTestId('selected-chart-bar-item').click();
    await pick(page, 'index-dropdown-stream', 'k8s_logs');
    await pick(page, 'dashboard-b-item-select', 'level');
    await expect
      .poll(() => page.getByTestId('dashboard-panel-generated-sql').textContent())
      .toContain('GROUP BY "x_axis_1", "breakdown_1"');
    await page.getByTestId('dashboard-panel-name-field').fill(PANEL);
    await page.getByTestId('dashboard-apply').click();
    await expectLegend(page, ['error', 'info']);
    await page.getByTestId('dashboard-panel-save').click();
    await page.waitForURL(/dashboards\/view/);
    await expectLegend(page, ['error', 'info']);
  });

  it('substitutes custom and textbox variables into custom SQL', async () => {
    await page.getByTestId('dashboard-setting-btn').click();
    await page.getByTestId('dashboard-settings-variable-tab').click();
    await page.getByTestId('dashboard-add-variable-btn').click();
    await pick(page, 'dashboard-variable-type-select', 'custom');
    await page.getByTestId('dashboard-variable-name-field').fill('level');
    await page.getByTestId('dashboard-variable-custom-options-field').fill('info, error');
    await page.getByTestId('dashboard-variable-save-btn').click();
    await page.getByTestId('dashboard-add-variable-btn').click();
    await pick(page, 'dashboard-variable-type-select', 'textbox');
    await page.getByTestId('dashboard-variable-name-field').fill('skip');
    await page.getByTestId('dashboard-variable-value-field').fill('none');
    await page.getByTestId('dashboard-variable-save-btn').click();
    await page.getByTestId('dashboard-variable-row-skip').waitFor();
    await page.getByTestId('o-drawer-close-btn').click();

    await page.getByTestId(`dashboard-edit-panel-${PANEL}-dropdown`).click();
    await page.getByTestId('dashboard-edit-panel').click();
    await page.getByTestId('dashboard-custom-query-type').click();
    await page.waitForFunction('window.monaco?.editor.getEditors().length === 1');
    await page.evaluate(`window.monaco.editor.getEditors()[0].setValue(${JSON.stringify(SQL)})`);
    await page.getByTestId('dashboard-panel-save').click();
    await page.waitForURL(/dashboards\/view/);
    await expectLegend(page, ['y']);

    await pick(page, 'dashboard-variable-level-select', 'error');
    await page.getByTestId('dashboard-variable-skip-input').fill('x');
    await page.getByTestId('dashboard-variable-skip-input').press('Enter');
    await page.getByTestId(`dashboard-edit-panel-${PANEL}-dropdown`).click();
    await page.getByTestId('dashboard-query-inspector-panel').click();
    await expect
      .poll(() => page.getByTestId('dashboard-query-inspector').textContent())
      .toContain(`WHERE level = 'error' AND log != 'x'`);
    await screenshot(page, 'dashboard-sql-variables');
  });

  it('adds a tab, switches to it and back, and saves a dragged and resized layout', async () => {
    await page.getByTestId('dashboard-setting-btn').click();
    await page.getByTestId('dashboard-settings-tab-tab').click();
    await page.getByTestId('dashboard-tab-new-name-field').fill('Second');
    await page.getByTestId('dashboard-tab-add-btn').click();
    await expect
      .poll(async () => (await stored()).v8.tabs.map((t) => t.name))
      .toEqual(['Default', 'Second']);
    await page.getByTestId('o-drawer-close-btn').click();
    const second = (await stored()).v8.tabs[1]!.tabId;
    await page.getByTestId(`dashboard-tab-${second}`).click();
    await page.getByTestId('dashboard-no-panels').waitFor();
    expect(new URL(page.url()).searchParams.get('tab')).toBe(second);
    await page.getByTestId('dashboard-tab-default').click();

    const header = page.getByTestId('dashboard-panel-header');
    const box = (await header.boundingBox())!;
    await page.mouse.move(box.x + 40, box.y + 8);
    await page.mouse.down();
    await page.mouse.move(box.x + 340, box.y + 8, { steps: 5 });
    await page.mouse.up();
    await expect
      .poll(async () => (await stored()).v8.tabs[0]!.panels[0]!.layout.x)
      .toBeGreaterThan(0);
    const handle = (await page.getByTestId('dashboard-panel-resize').boundingBox())!;
    await page.mouse.move(handle.x + 5, handle.y + 5);
    await page.mouse.down();
    await page.mouse.move(handle.x + 105, handle.y + 65, { steps: 5 });
    await page.mouse.up();
    await expect
      .poll(async () => (await stored()).v8.tabs[0]!.panels[0]!.layout.w)
      .toBeGreaterThan(24);
    await screenshot(page, 'dashboard-layout');
  });

  it('asks before discarding an edited panel, and keeps the stored one', async () => {
    await page.getByTestId(`dashboard-edit-panel-${PANEL}-dropdown`).click();
    await page.getByTestId('dashboard-edit-panel').click();
    await page.getByTestId('dashboard-panel-name-field').fill('Renamed');
    await page.getByTestId('dashboard-panel-discard').click();
    await page.getByTestId('dashboard-panel-discard-dialog').waitFor();
    await page.getByTestId('o-dialog-primary-btn').click();
    await page.waitForURL(/dashboards\/view/);
    await expect.poll(() => page.getByTestId('dashboard-panel-title').textContent()).toBe(PANEL);
  });

  it("logs' visualize mode charts the query with the same panel schema and adds it to a dashboard", async () => {
    await page.goto('/web/logs?org_identifier=default&stream=k8s_logs');
    await page.getByTestId('logs-visualize-toggle').click();
    await expect
      .poll(() => page.getByTestId('logs-visualize-sql').textContent())
      .toContain('FROM "k8s_logs" GROUP BY "x_axis_1"');
    const chart = page.getByTestId('logs-visualize-drawer').getByTestId('chart-renderer');
    await expect.poll(() => chart.getAttribute('data-series-count')).toBe('1');
    await page.getByTestId('logs-visualize-add-to-dashboard').click();
    await page.getByTestId('metrics-new-dashboard-panel-title-field').fill('Log volume');
    await page.getByTestId('o-dialog-primary-btn').click();
    await expect
      .poll(() => page.getByTestId('o-toast-message').textContent())
      .toBe('Panel added to dashboard');
    const panels = (await stored()).v8.tabs.flatMap((t) => t.panels);
    expect(panels).toHaveLength(2);
    await screenshot(page, 'logs-visualize');
  });
});
