import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Page } from 'playwright-core';
import { basicAuth } from '../product-process.js';
import { newContext, screenshot, watchProblems } from './browser.js';
import {
  ROOT,
  apiGet,
  ingest,
  k8sRecords,
  screenshots,
  screenshotsByReload,
  startUiNode,
  toggleTheme,
} from './ui-node.js';
import type { UiNode } from './ui-node.js';

// Each step waits on a real browser and a real node; under the full suite's load it needs room.
vi.setConfig({ testTimeout: 90_000 });

const MEMBER = { email: 'member@example.com', password: 'Memberpass#789' };
const STREAM = 'k8s_logs';
const run = promisify(execFile);
const clipboard = (page: Page) => page.evaluate<string>('navigator.clipboard.readText()');

/** Opens the schema drawer of the stream in the first row of the streams table. */
async function openSchema(page: Page) {
  await page.getByTestId('o2-table-row-0').getByTestId('log-stream-schema-btn').click();
}

/** The shell, home, streams, ingestion and users pages; the logs explorer has its own file. */
describe('web UI shell and pages in Chromium against a single node (process)', () => {
  let node: UiNode;
  let page: Page;

  beforeAll(async () => {
    node = await startUiNode('web-ui');
    page = node.page;
  }, 120_000);
  afterAll(async () => node?.close());
  // No console error, page error, failed request or unexpected 4xx/5xx in any step.
  afterEach(() => {
    expect(node.problems.list).toEqual([]);
  });

  it('sends a signed-out visit to the login page and back to the wanted URL after login', async () => {
    await page.goto('/web/streams');
    await page.waitForURL(/\/web\/login$/);
    await screenshotsByReload(page, 'login', () => page.getByTestId('login-sign-in').waitFor());
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
    await ingest(node.product, 'default', STREAM, k8sRecords(120));
    await page.getByTestId('menu-link-/-item').click();
    await page.waitForURL(/\/web\/?\?org_identifier=default$/);
    await expect.poll(() => page.getByTestId('home-streams-value').textContent()).toBe('1');
    expect(await page.getByTestId('home-events-value').textContent()).toBe('120');
    expect(await page.title()).toBe('O2TS - Home');
    await screenshots(page, 'home');
  });

  it('streams lists the stream with its stats, sorts, and shows its schema', async () => {
    await ingest(node.product, 'default', 'app_audit', k8sRecords(3));
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
    const drawer = page.getByTestId('log-stream-schema-drawer');
    await openSchema(page);
    await expect.poll(() => drawer.getByTestId('schema-stat-doc-num').textContent()).toBe('120');
    const fieldNames = await drawer.getByTestId('o2-table-cell-name').allTextContents();
    expect(fieldNames).toEqual(
      expect.arrayContaining(['k8s_namespace_name', 'k8s_pod_name', 'log']),
    );
    // The drawer covers the user menu: it is shot in light, closed, and shot again in dark.
    await screenshot(page, 'stream-schema-light');
    await drawer.getByTestId('o-drawer-close-btn').click();
    await screenshots(page, 'streams');
    await toggleTheme(page, true);
    await openSchema(page);
    await drawer.getByTestId('schema-stat-doc-num').waitFor();
    await screenshot(page, 'stream-schema-dark');
    await drawer.getByTestId('o-drawer-close-btn').click();
    await toggleTheme(page, false);
  });

  it('a stream setting changed in the schema drawer is stored (read back through the API)', async () => {
    const drawer = page.getByTestId('log-stream-schema-drawer');
    await openSchema(page);
    await drawer.getByTestId('stream-details-data-retention-input').fill('7');
    await drawer.getByTestId('stream-settings-full-text-keys').fill('log, k8s_pod_name');
    await drawer.getByTestId('schema-update-settings-button').click();
    await expect
      .poll(() => drawer.getByTestId('o-toast-message').textContent())
      .toBe('Stream settings updated');
    const stored = await apiGet(node.product, `/api/default/streams/${STREAM}/schema?type=logs`);
    expect(stored).toMatchObject({
      settings: { data_retention: 7, full_text_search_keys: ['log', 'k8s_pod_name'] },
    });
    await drawer.getByTestId('o-drawer-close-btn').click();
    await expect.poll(() => drawer.count()).toBe(0);
  });

  it('deletes a stream after confirmation', async () => {
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
      new RegExp(
        `^curl -u ${ROOT.email}:\\S+ -k ${node.product.url}/api/default/default/_json -d '`,
      ),
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
    expect(remoteWrite).toContain(`url: ${node.product.url}/api/default/prometheus/api/v1/write`);
    expect(remoteWrite).toContain(`username: ${ROOT.email}`);
  });

  it('the org switcher moves every page to the other org', async () => {
    const created = await fetch(`${node.product.url}/api/organizations`, {
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

    const memberContext = await newContext(node.browser, node.product.url);
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
  });

  it('a wrong password shows "Invalid credentials" and nothing else goes wrong', async () => {
    const other = await newContext(node.browser, node.product.url);
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
