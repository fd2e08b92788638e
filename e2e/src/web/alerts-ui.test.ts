import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Page } from 'playwright-core';
import { apiGet, login, startUiNode } from './ui-node.js';
import type { UiNode } from './ui-node.js';

vi.setConfig({ testTimeout: 90_000 });

interface AlertItem {
  name: string;
  stream_name: string;
  destinations: string[];
  condition: { type: string; conditions: unknown };
}

// The alerts page against a single node: a template, a destination and an alert made in the UI
// are what the API then holds.
describe('alerts UI in Chromium against a single node (process)', () => {
  let node: UiNode;
  let page: Page;

  beforeAll(async () => {
    node = await startUiNode('alerts-ui');
    page = node.page;
    await login(page);
  }, 120_000);
  afterAll(async () => node?.close());

  it('creates a template, a destination and an alert', async () => {
    await page.getByTestId('menu-link-/alerts-item').click();
    await page.getByTestId('alerts-page').waitFor();
    await page.getByTestId('alerts-tab-templates').click();
    await page.getByTestId('add-template-name-input').fill('ui_tmpl');
    await page.getByTestId('add-template-submit').click();
    await page.getByTestId('alert-template-list-table').getByText('ui_tmpl').waitFor();

    await page.getByTestId('alerts-tab-destinations').click();
    await page.getByTestId('add-destination-name-input').fill('ui_hook');
    await page.getByTestId('add-destination-url-input').fill('https://hooks.example.com/o2');
    await page.getByTestId('add-destination-template-select').selectOption('ui_tmpl');
    await page.getByTestId('add-destination-submit').click();
    await page.getByTestId('alert-destination-list-table').getByText('ui_hook').waitFor();

    await page.getByTestId('alerts-tab-alerts').click();
    await page.getByTestId('alert-list-add-alert-btn').click();
    await page.getByTestId('add-alert-name-input').fill('ui_alert');
    await page.getByTestId('add-alert-stream-input').fill('app');
    await page.getByTestId('add-alert-condition-column').fill('level');
    await page.getByTestId('add-alert-condition-value').fill('error');
    await page.getByTestId('add-alert-destination-ui_hook').check();
    await page.getByTestId('add-alert-submit-btn').click();
    await page.getByTestId('alert-list-table').getByText('ui_alert').waitFor();

    const list = (await apiGet(node.product, '/api/v2/default/alerts')) as { list: AlertItem[] };
    expect(list.list).toMatchObject([
      {
        name: 'ui_alert',
        stream_name: 'app',
        destinations: ['ui_hook'],
        condition: {
          type: 'custom',
          conditions: [{ column: 'level', operator: '=', value: 'error' }],
        },
      },
    ]);
    expect(node.problems.list).toEqual([]);
  });

  it('shows the server refusal of a bad alert name', async () => {
    await page.getByTestId('alert-list-add-alert-btn').click();
    await page.getByTestId('add-alert-name-input').fill('bad/name');
    await page.getByTestId('add-alert-stream-input').fill('app');
    await page.getByTestId('add-alert-destination-ui_hook').check();
    await page.getByTestId('add-alert-submit-btn').click();
    await expect
      .poll(() => page.getByTestId('add-alert-error').textContent())
      .toContain('cannot contain');
  });
});
