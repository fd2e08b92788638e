import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { makeTempDir } from '@o2/testing';
import type { TempDir } from '@o2/testing';
import { basicAuth, startProductProcess, waitUntilHealthy } from '../product-process.js';
import type { ProductProcess } from '../product-process.js';
import { launchChromium, newContext, screenshot, watchProblems } from './browser.js';
import type { PageProblems } from './browser.js';

// Each step waits on a real browser and a real node; under the full suite's load it needs room.
vi.setConfig({ testTimeout: 90_000 });

const ROOT = { email: 'root@example.com', password: 'Complexpass#123' };
const MEMBER = { email: 'member@example.com', password: 'Memberpass#789' };
const STREAM = 'k8s_logs';
const run = promisify(execFile);

/** Records shaped like the OpenTelemetry collector's Kubernetes logs. */
function k8sRecords(n: number): object[] {
  // One second apart (µs), newest first, so "show context" has distinct neighbours.
  const newest = Date.now() * 1000;
  return Array.from({ length: n }, (_, i) => ({
    _timestamp: newest - i * 1_000_000,
    level: i % 5 === 0 ? 'error' : 'info',
    log: `GET /api/cart/${i} 200 req-${i}x`,
    k8s_namespace_name: i % 2 === 0 ? 'shop' : 'payments',
    k8s_pod_name: `web-${i % 3}`,
    k8s_container_name: 'web',
  }));
}

async function ingest(product: ProductProcess, org: string, stream: string, records: object[]) {
  const response = await fetch(`${product.url}/api/${org}/${stream}/_json`, {
    method: 'POST',
    headers: {
      authorization: basicAuth(ROOT.email, ROOT.password),
      'content-type': 'application/json',
    },
    body: JSON.stringify(records),
  });
  expect(response.status).toBe(200);
}

const isDark = (page: Page) =>
  page.evaluate<boolean>("document.body.classList.contains('body--dark')");
const clipboard = (page: Page) => page.evaluate<string>('navigator.clipboard.readText()');

async function apiGet(product: ProductProcess, path: string): Promise<unknown> {
  const response = await fetch(`${product.url}${path}`, {
    headers: { authorization: basicAuth(ROOT.email, ROOT.password) },
  });
  expect(response.status).toBe(200);
  return response.json();
}

/** Each page in light and dark, saved under e2e/artifacts/web. */
async function screenshots(page: Page, name: string) {
  await screenshot(page, `${name}-light`);
  await page.getByTestId('header-my-account-profile-icon').click();
  await page.getByTestId('menu-link-theme-toggle-item').click();
  await expect.poll(() => isDark(page)).toBe(true);
  await screenshot(page, `${name}-dark`);
  await page.getByTestId('header-my-account-profile-icon').click();
  await page.getByTestId('menu-link-theme-toggle-item').click();
  await expect.poll(() => isDark(page)).toBe(false);
}

describe('web UI in Chromium against a single node (process)', () => {
  let dataDir: TempDir;
  let product: ProductProcess;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let problems: PageProblems;

  beforeAll(async () => {
    dataDir = await makeTempDir('web-ui');
    product = await startProductProcess('standalone', {
      ZO_DATA_DIR: `${dataDir.path}/`,
      RUST_LOG: 'warn',
      ZO_ROOT_USER_EMAIL: ROOT.email,
      ZO_ROOT_USER_PASSWORD: ROOT.password,
    });
    await waitUntilHealthy(product);
    browser = await launchChromium();
    context = await newContext(browser, product.url);
    page = await context.newPage();
    page.setDefaultTimeout(30_000);
    problems = watchProblems(page);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await product?.stop();
    await dataDir?.remove();
  });

  it('sends a signed-out visit to the login page and back to the wanted URL after login', async () => {
    await page.goto('/web/streams');
    await page.waitForURL(/\/web\/login$/);
    await screenshot(page, 'login-light');
    await page.getByTestId('login-sign-in').click();
    await expect
      .poll(() => page.getByTestId('login-user-id-error').textContent())
      .toBe('Email is required');
    await expect
      .poll(() => page.getByTestId('login-password-error').textContent())
      .toBe('Password is required');
    await page.getByTestId('login-user-id').fill(ROOT.email);
    await page.getByTestId('login-password').fill(ROOT.password);
    await page.getByTestId('login-sign-in').click();
    await page.waitForURL(/\/web\/streams\?org_identifier=default$/);
    expect(await page.getByTestId('o2-table-empty').textContent()).toBe('No streams yet');
  });

  it('home shows the stream and record counts of records ingested through the API', async () => {
    await ingest(product, 'default', STREAM, k8sRecords(120));
    await page.getByTestId('menu-link-/-item').click();
    await page.waitForURL(/\/web\/?\?org_identifier=default$/);
    await expect.poll(() => page.getByTestId('home-streams-value').textContent()).toBe('1');
    expect(await page.getByTestId('home-events-value').textContent()).toBe('120');
    expect(await page.title()).toBe('O2TS - Home');
    await screenshots(page, 'home');
  });

  it('streams lists the stream with its stats, sorts, and shows its schema', async () => {
    await ingest(product, 'default', 'app_audit', k8sRecords(3));
    await page.getByTestId('menu-link-/streams-item').click();
    const firstName = page.getByTestId('o2-table-row-0').getByTestId('o2-table-cell-name');
    await expect.poll(() => firstName.textContent()).toBe('app_audit');
    await page.getByTestId('o2-table-th-doc_num').getByRole('button').click();
    await page.getByTestId('o2-table-th-doc_num').getByRole('button').click();
    expect(await page.getByTestId('o2-table-th-doc_num').getAttribute('aria-sort')).toBe(
      'descending',
    );
    await expect.poll(() => firstName.textContent()).toBe(STREAM);
    expect(
      await page.getByTestId('o2-table-row-0').getByTestId('o2-table-cell-doc_num').textContent(),
    ).toBe('120');
    await screenshots(page, 'streams');

    await page.getByTestId('o2-table-row-0').getByTestId('log-stream-schema-btn').click();
    const drawer = page.getByTestId('log-stream-schema-drawer');
    await expect.poll(() => drawer.getByTestId('schema-stat-doc-num').textContent()).toBe('120');
    const fieldNames = await drawer.getByTestId('o2-table-cell-name').allTextContents();
    expect(fieldNames).toEqual(
      expect.arrayContaining(['k8s_namespace_name', 'k8s_pod_name', 'log']),
    );
    await screenshot(page, 'stream-schema-light');

    await drawer.getByTestId('stream-details-data-retention-input').fill('7');
    await drawer.getByTestId('stream-settings-full-text-keys').fill('log, k8s_pod_name');
    await drawer.getByTestId('schema-update-settings-button').click();
    await expect
      .poll(() => drawer.getByTestId('o-toast-message').textContent())
      .toBe('Stream settings updated');
    const stored = await apiGet(product, `/api/default/streams/${STREAM}/schema?type=logs`);
    expect(stored).toMatchObject({
      settings: { data_retention: 7, full_text_search_keys: ['log', 'k8s_pod_name'] },
    });
    await drawer.getByTestId('o-drawer-close-btn').click();
    await expect.poll(() => drawer.count()).toBe(0);

    const audit = page.locator('[data-test^="o2-table-row-"]', { hasText: 'app_audit' });
    await audit.getByTestId('log-stream-delete-btn').click();
    await page.getByTestId('log-stream-delete-dialog').getByTestId('o-dialog-primary-btn').click();
    await expect
      .poll(() => page.getByTestId('o2-table-cell-name').allTextContents())
      .toEqual([STREAM]);
  });

  it('ingestion shows a masked curl snippet whose copied text really ingests', async () => {
    await page.getByTestId('menu-link-/ingestion-item').click();
    const snippet = page.getByTestId('ingestion-logs-curl-snippet');
    const shown = await snippet.getByTestId('ingestion-logs-curl-snippet-content').textContent();
    expect(shown).toContain('/api/default/default/_json');
    expect(shown).not.toContain(ROOT.email);
    await snippet.getByTestId('ingestion-logs-curl-snippet-copy-btn').click();
    const copied = await clipboard(page);
    expect(copied).toMatch(
      new RegExp(`^curl -u ${ROOT.email}:\\S+ -k ${product.url}/api/default/default/_json -d '`),
    );
    const { stdout } = await run('bash', ['-c', copied]);
    expect(JSON.parse(stdout)).toMatchObject({
      code: 200,
      status: [{ name: 'default', successful: 1, failed: 0 }],
    });
    await screenshots(page, 'ingestion');

    await page.getByTestId('ingestion-custom-metrics-tab').click();
    await page.getByTestId('ingestion-metrics-prometheus-item').click();
    await page.getByTestId('ingestion-metrics-prometheus-snippet-copy-btn').click();
    const remoteWrite = await clipboard(page);
    expect(remoteWrite).toContain(`url: ${product.url}/api/default/prometheus/api/v1/write`);
    expect(remoteWrite).toContain(`username: ${ROOT.email}`);
  });

  it('logs: match_all in quick mode, SQL mode, and a field value click that filters', async () => {
    await page.goto(`/web/logs?org_identifier=default&stream=${STREAM}&period=1h`);
    const summary = page.getByTestId('logs-search-result-summary');
    await expect.poll(() => summary.textContent()).toMatch(/^Showing 100 of 120 events/);
    await expect.poll(() => page.evaluate<boolean>('window.monaco !== undefined')).toBe(true);
    const setQuery = (q: string) =>
      page.evaluate(`window.monaco.editor.getEditors()[0].setValue(${JSON.stringify(q)})`);

    await setQuery("match_all('req-7x')");
    await page.getByTestId('logs-search-bar-refresh-btn').click();
    await expect.poll(() => summary.textContent()).toMatch(/^Showing 1 of 1 events/);
    expect(await page.getByTestId('o2-table-cell-source').textContent()).toContain('req-7x');
    await page.getByTestId('o2-table-expand-0').click();
    expect(await page.getByTestId('o2-table-json-0').textContent()).toContain(
      '"k8s_pod_name": "web-1"',
    );
    expect(page.url()).toContain(
      `query=${encodeURIComponent(Buffer.from("match_all('req-7x')").toString('base64'))}`,
    );
    await screenshots(page, 'logs');

    await page.getByTestId('o2-table-row-0').getByTestId('o2-table-cell-source').click();
    const detail = page.getByTestId('logs-detail-drawer');
    expect(await detail.getByTestId('log-detail-row-k8s_namespace_name').textContent()).toContain(
      'payments',
    );
    await detail.getByTestId('logs-detail-show-context-btn').click();
    const context = detail.getByTestId('logs-detail-context-row');
    await expect.poll(() => context.count()).toBeGreaterThan(1);
    const around = await context.allTextContents();
    expect(around.find((row) => row.includes('req-7x'))).toBeDefined();
    expect(around.find((row) => row.includes('req-6x') || row.includes('req-8x'))).toBeDefined();
    await screenshot(page, 'logs-detail-light');
    await detail.getByTestId('o-drawer-close-btn').click();

    await setQuery(
      `SELECT * FROM "${STREAM}" WHERE k8s_namespace_name = 'shop' ORDER BY _timestamp DESC`,
    );
    await page.getByTestId('logs-search-bar-refresh-btn').click();
    await expect.poll(() => summary.textContent()).toMatch(/^Showing 60 of 60 events/);
    expect(
      await page.getByTestId('logs-search-bar-sql-mode-toggle-btn').getAttribute('aria-checked'),
    ).toBe('true');

    await setQuery('');
    await page.getByTestId('o-field-list-row-k8s_pod_name').getByRole('button').first().click();
    const value = page.locator('[data-test="logs-field-value"][data-test-value="web-1"]');
    await expect.poll(() => value.locator('.value-count').textContent()).toBe('40');
    await value.getByTestId('logs-field-value-include-btn').click();
    await expect.poll(() => summary.textContent()).toMatch(/^Showing 40 of 40 events/);

    // Brush-zoom: drag across the right part of the histogram (the newest buckets).
    const chart = page.getByTestId('logs-search-result-bar-chart');
    await expect.poll(() => chart.locator('canvas').count()).toBe(1);
    const box = (await chart.boundingBox())!;
    const y = box.y + box.height / 2;
    await page.mouse.move(box.x + box.width * 0.7, y);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.85, y, { steps: 5 });
    await page.mouse.move(box.x + box.width * 0.985, y, { steps: 5 });
    await page.mouse.up();
    await page.waitForURL(/[?&]from=\d+&to=\d+/);
    const url = new URL(page.url());
    const zoomedUs = Number(url.searchParams.get('to')) - Number(url.searchParams.get('from'));
    expect(zoomedUs).toBeGreaterThan(0);
    expect(zoomedUs).toBeLessThan(3600e6 / 2);
    await expect.poll(() => page.getByTestId('logs-time-range').isVisible()).toBe(true);
    const zoomed = async () =>
      Number(/of (\d+) events/.exec((await summary.textContent()) ?? '')?.[1]);
    await expect.poll(async () => (await summary.getAttribute('data-state')) === 'done').toBe(true);
    expect(await zoomed()).toBeGreaterThan(0);
    expect(await zoomed()).toBeLessThanOrEqual(40);
    await screenshot(page, 'logs-zoomed-light');

    // A field as its own column, kept in the URL.
    const podRow = page.getByTestId('o-field-list-row-k8s_pod_name');
    await podRow.getByTestId('logs-field-add-column-btn').click();
    await page.waitForURL(/[?&]columns=k8s_pod_name/);
    await expect.poll(() => page.getByTestId('o2-table-th-k8s_pod_name').isVisible()).toBe(true);
    expect(
      await page
        .getByTestId('o2-table-row-0')
        .getByTestId('o2-table-cell-k8s_pod_name')
        .textContent(),
    ).toBe('web-1');
  });

  it('prints the first-render time of the logs page over 10k hits', async () => {
    await ingest(product, 'default', 'big_logs', k8sRecords(10_000));
    const started = Date.now();
    await page.goto(`/web/logs?org_identifier=default&stream=big_logs&period=1d`);
    const summary = page.getByTestId('logs-search-result-summary');
    await expect.poll(() => summary.textContent()).toMatch(/^Showing 100 of 10000 events/);
    await page.getByTestId('o2-table-row-99').waitFor();
    const ms = Date.now() - started;
    process.stdout.write(
      `[web] logs page first render over 10000 hits: ${ms} ms (navigation to 100 rows drawn)\n`,
    );
    expect(ms).toBeLessThan(20_000);
  });

  it('auto-refresh picks up a record ingested after the page opened', async () => {
    await page.goto(`/web/logs?org_identifier=default&stream=${STREAM}&period=1h`);
    const summary = page.getByTestId('logs-search-result-summary');
    await expect.poll(() => summary.textContent()).toMatch(/ of 120 events/);
    await page.getByTestId('logs-search-bar-auto-refresh-trigger').click();
    await page
      .locator('[data-test="logs-search-bar-auto-refresh-option"][data-test-value="5"]')
      .click();
    await page.waitForURL(/[?&]refresh=5/);
    await ingest(product, 'default', STREAM, [{ log: 'late arrival', k8s_namespace_name: 'shop' }]);
    await expect.poll(() => summary.textContent(), { timeout: 12_000 }).toMatch(/ of 121 events/);
  });

  it('the org switcher moves every page to the other org', async () => {
    const created = await fetch(`${product.url}/api/organizations`, {
      method: 'POST',
      headers: {
        authorization: basicAuth(ROOT.email, ROOT.password),
        'content-type': 'application/json',
      },
      body: JSON.stringify({ name: 'staging' }),
    });
    expect(created.status).toBe(200);
    await page.reload();
    await page.getByTestId('menu-link-/-item').click();
    await page.getByTestId('navbar-organizations-select-trigger').click();
    await page
      .locator('[data-test="navbar-organizations-select-option"][data-test-label="staging"]')
      .click();
    await page.waitForURL(/org_identifier=staging/);
    await expect.poll(() => page.getByTestId('home-no-data').isVisible()).toBe(true);
    await screenshots(page, 'home-empty');
    await page.getByTestId('menu-link-/iam-item').click();
    const emails = page.getByTestId('o2-table-cell-email');
    await expect.poll(() => emails.allTextContents()).toEqual([ROOT.email]);
    await screenshots(page, 'users');
  });

  it('an admin adds a member, who then cannot open Users', async () => {
    await page.goto('/web/iam/users?org_identifier=default');
    await page.getByTestId('iam-add-user-btn').click();
    const dialog = page.getByTestId('iam-add-user-dialog');
    await dialog.getByTestId('user-email-field').fill(MEMBER.email);
    await dialog.getByTestId('user-password-field').fill(MEMBER.password);
    await dialog.getByTestId('user-role-field').selectOption('user');
    await dialog.getByTestId('o-dialog-primary-btn').click();
    const emails = page.getByTestId('o2-table-cell-email');
    await expect.poll(() => emails.allTextContents()).toEqual([MEMBER.email, ROOT.email]);
    await screenshots(page, 'users-added');

    const memberContext = await newContext(browser, product.url);
    const member = await memberContext.newPage();
    const seen = watchProblems(member);
    await member.goto('/web/iam/users?org_identifier=default');
    await member.getByTestId('login-user-id').fill(MEMBER.email);
    await member.getByTestId('login-password').fill(MEMBER.password);
    await member.getByTestId('login-sign-in').click();
    await member.waitForURL(/\/web\/iam\/users\?org_identifier=default$/);
    await expect.poll(() => member.getByTestId('iam-users-forbidden').isVisible()).toBe(true);
    expect(seen.list).toEqual([]);
    await memberContext.close();
  });

  it('? opens the keyboard shortcuts and Esc closes them', async () => {
    await page.getByTestId('menu-link-/-item').click();
    await page.keyboard.press('?');
    const sheet = page.getByTestId('keyboard-shortcuts-dialog');
    await expect.poll(() => sheet.isVisible()).toBe(true);
    await page.keyboard.press('Escape');
    await expect.poll(() => sheet.count()).toBe(0);
  });

  it('signs out to the login page; a protected URL then asks to sign in again', async () => {
    await page.getByTestId('header-my-account-profile-icon').click();
    await page.getByTestId('menu-link-logout-item').click();
    await page.waitForURL(/\/web\/login$/);
    await page.goto('/web/?org_identifier=default');
    await page.waitForURL(/\/web\/login$/);
    expect(problems.list).toEqual([]);
  });

  it('a wrong password shows "Invalid credentials" and nothing else goes wrong', async () => {
    const other = await newContext(browser, product.url);
    const fresh = await other.newPage();
    const seen = watchProblems(fresh);
    seen.expect('POST', '/auth/login', 401);
    await fresh.goto('/');
    await fresh.waitForURL(/\/web\/login$/);
    await fresh.getByTestId('login-user-id').fill(ROOT.email);
    await fresh.getByTestId('login-password').fill('Wrongpass#123');
    await fresh.getByTestId('login-sign-in').click();
    const toast = fresh.getByTestId('o-toast-message');
    await expect.poll(() => toast.textContent()).toBe('Invalid credentials');
    expect(await toast.getAttribute('data-test-variant')).toBe('error');
    // Chromium logs every 4xx answer to the console; that one line is the expected 401.
    expect(seen.list.filter((p) => !p.includes('status of 401'))).toEqual([]);
    await other.close();
  });
});
