import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, selectors } from 'playwright-core';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { REPO_ROOT } from '../product-process.js';

/** Debian's chromium (installed by scripts/ensure-test-deps.sh); never a downloaded build. */
export function chromiumPath(): string {
  try {
    return execFileSync('sh', ['-c', 'command -v chromium'], { encoding: 'utf8' }).trim();
  } catch {
    throw new Error('chromium is not installed: run scripts/ensure-test-deps.sh (apt chromium)');
  }
}

/** O2's automation attribute is `data-test`, so `getByTestId` reads that. */
export async function launchChromium(): Promise<Browser> {
  selectors.setTestIdAttribute('data-test');
  return chromium.launch({
    executablePath: chromiumPath(),
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

/** Where screenshots go, `<page>-<light|dark>.png` (gitignored; CI keeps them as artifacts). */
export const ARTIFACTS = join(REPO_ROOT, 'e2e', 'artifacts', 'screenshots');

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
}

/**
 * Everything that went wrong in the page: console errors, uncaught exceptions, requests that
 * failed at the network level and answers ≥ 400 — except the ones a step says it expects.
 */
export interface PageProblems {
  list: string[];
  /** A response matching this (method and URL part, status) is expected once, not a problem. */
  expect(method: string, urlPart: string, status: number): void;
}

export function watchProblems(page: Page): PageProblems {
  const list: string[] = [];
  const expected: Array<{ method: string; urlPart: string; status: number }> = [];
  page.on('console', (message) => {
    if (message.type() === 'error') list.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => list.push(`page error: ${error.message}`));
  page.on('requestfailed', (request) => {
    const reason = request.failure()?.errorText ?? '';
    // A navigation cancels what the previous document still loaded (its favicon): not a failure.
    if (reason === 'net::ERR_ABORTED') return;
    list.push(`request failed: ${request.method()} ${request.url()} ${reason}`);
  });
  page.on('response', (response) => {
    if (response.status() < 400) return;
    const method = response.request().method();
    const at = expected.findIndex(
      (e) =>
        e.method === method && response.url().includes(e.urlPart) && e.status === response.status(),
    );
    if (at >= 0) {
      expected.splice(at, 1);
      return;
    }
    const entry = list.push(`HTTP ${response.status()}: ${method} ${response.url()}`) - 1;
    // The body says why (O2's `message`); read after the fact, so it is added when it arrives.
    void response.text().then(
      (body) => (list[entry] = `${list[entry]} ${body.slice(0, 300)}`),
      () => undefined,
    );
  });
  return { list, expect: (method, urlPart, status) => expected.push({ method, urlPart, status }) };
}

export async function newContext(browser: Browser, baseURL: string): Promise<BrowserContext> {
  const context = await browser.newContext({ baseURL, viewport: { width: 1280, height: 800 } });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: baseURL });
  return context;
}
