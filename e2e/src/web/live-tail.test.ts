import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { makeTempDir } from '@o2/testing';
import type { TempDir } from '@o2/testing';
import { startProductProcess, waitUntilHealthy } from '../product-process.js';
import type { ProductProcess } from '../product-process.js';
import { launchChromium, newContext, watchProblems } from './browser.js';
import type { PageProblems } from './browser.js';
import { ingestAcked, liveTailSteps } from './live-tail-steps.js';

vi.setConfig({ testTimeout: 90_000 });

const ROOT = { email: 'root@example.com', password: 'Complexpass#123' };
const STREAM = 'tail_logs';

describe('live tail in Chromium against a single node (process)', () => {
  let dataDir: TempDir;
  let product: ProductProcess;
  let browser: Browser;
  let page: Page;
  let problems: PageProblems;

  beforeAll(async () => {
    dataDir = await makeTempDir('web-live-tail');
    product = await startProductProcess('standalone', {
      ZO_DATA_DIR: `${dataDir.path}/`,
      RUST_LOG: 'warn',
      ZO_ROOT_USER_EMAIL: ROOT.email,
      ZO_ROOT_USER_PASSWORD: ROOT.password,
    });
    await waitUntilHealthy(product);
    browser = await launchChromium();
    page = await (await newContext(browser, product.url)).newPage();
    page.setDefaultTimeout(30_000);
    problems = watchProblems(page);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await product?.stop();
    await dataDir?.remove();
  });

  it('live tail shows a record ingested after the page opened within 1 s', async ({ annotate }) => {
    const target = { url: product.url, auth: ROOT, stream: STREAM };
    // The stream exists before the page opens (the picker lists it).
    await ingestAcked(target, [{ log: 'seed', level: 'info' }]);
    await page.goto('/web/login');
    await page.getByTestId('login-user-id').fill(ROOT.email);
    await page.getByTestId('login-password').fill(ROOT.password);
    await page.getByTestId('login-sign-in').click();
    await page.waitForURL(/\/web\/?\?org_identifier=default$/);

    const latencyMs = await liveTailSteps(page, target, 'live-tail-light');
    await annotate(`live tail, single node: ingest ack → row in the DOM ${latencyMs} ms`);
    expect(problems.list).toEqual([]);
  });
});
