import { expect } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { makeTempDir } from '@o2/testing';
import type { TempDir } from '@o2/testing';
import { basicAuth, ROOT, rootUserEnv, startHealthyProduct } from '../product-process.js';
import type { ProductProcess } from '../product-process.js';
import { launchChromium, newContext, screenshot, watchProblems } from './browser.js';
import type { PageProblems } from './browser.js';

export { ROOT };

/** A single node started as a process, a Chromium page on it and the page's problem list. */
export interface UiNode {
  product: ProductProcess;
  browser: Browser;
  context: BrowserContext;
  page: Page;
  problems: PageProblems;
  close(): Promise<void>;
}

export async function startUiNode(name: string): Promise<UiNode> {
  const dataDir: TempDir = await makeTempDir(name);
  const product = await startHealthyProduct('standalone', {
    ZO_DATA_DIR: `${dataDir.path}/`,
    RUST_LOG: 'warn',
    ...rootUserEnv(),
  });
  const browser = await launchChromium();
  const context = await newContext(browser, product.url);
  const page = await context.newPage();
  page.setDefaultTimeout(30_000);
  const problems = watchProblems(page);
  return {
    product,
    browser,
    context,
    page,
    problems,
    close: async () => {
      await browser.close();
      await product.stop();
      await dataDir.remove();
    },
  };
}

/** Signs the page in as root through the login form. */
export async function login(page: Page): Promise<void> {
  await page.goto('/web/login');
  await page.getByTestId('login-user-id').fill(ROOT.email);
  await page.getByTestId('login-password').fill(ROOT.password);
  await page.getByTestId('login-sign-in').click();
  await page.waitForURL((url) => !url.pathname.endsWith('/login'));
}

/** Records shaped like the OpenTelemetry collector's Kubernetes logs. */
export function k8sRecords(n: number): object[] {
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

export async function ingest(
  product: ProductProcess,
  org: string,
  stream: string,
  records: object[],
): Promise<void> {
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

/** Moves the node's memtables into stored Parquet files (one file per stream per flush). */
export async function flush(product: ProductProcess): Promise<void> {
  const response = await fetch(`${product.url}/node/flush`, {
    method: 'PUT',
    headers: { authorization: basicAuth(ROOT.email, ROOT.password) },
  });
  expect(response.status).toBe(200);
}

export async function apiGet(product: ProductProcess, path: string): Promise<unknown> {
  const response = await fetch(`${product.url}${path}`, {
    headers: { authorization: basicAuth(ROOT.email, ROOT.password) },
  });
  expect(response.status).toBe(200);
  return response.json();
}

export const isDark = (page: Page) =>
  page.evaluate<boolean>("document.body.classList.contains('body--dark')");

/** Flips the theme through the user menu and waits until the page shows it. */
export async function toggleTheme(page: Page, dark: boolean): Promise<void> {
  await page.getByTestId('header-my-account-profile-icon').click();
  await page.getByTestId('menu-link-theme-toggle-item').click();
  await expect.poll(() => isDark(page)).toBe(dark);
}

/** A page in light and dark (through the user menu's toggle), as `<name>-light|dark.png`. */
export async function screenshots(page: Page, name: string): Promise<void> {
  await screenshot(page, `${name}-light`);
  await toggleTheme(page, true);
  await screenshot(page, `${name}-dark`);
  await toggleTheme(page, false);
}

/**
 * A page without the user menu (login) or under a drawer, in both themes: the persisted theme
 * choice is set and the page reloaded, as a returning user's would be.
 */
export async function screenshotsByReload(
  page: Page,
  name: string,
  ready: () => Promise<void>,
): Promise<void> {
  await screenshot(page, `${name}-light`);
  await page.evaluate("localStorage.setItem('o2ts.theme', 'dark')");
  await page.reload();
  await ready();
  await expect.poll(() => isDark(page)).toBe(true);
  await screenshot(page, `${name}-dark`);
  await page.evaluate("localStorage.setItem('o2ts.theme', 'light')");
  await page.reload();
  await ready();
  await expect.poll(() => isDark(page)).toBe(false);
}
