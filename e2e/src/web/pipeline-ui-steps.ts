import type { Page } from 'playwright-core';
import { basicAuth } from '../product-process.js';
import type { ProductProcess } from '../product-process.js';
import { ROOT } from './ui-node.js';

/** A browser-side expression: the Monaco editor whose DOM sits inside `[data-test=<dataTest>]`. */
const editorIn = (dataTest: string) =>
  `(() => { const host = document.querySelector(${JSON.stringify(`[data-test="${dataTest}"]`)});` +
  ' return window.monaco?.editor.getEditors().find((e) => host !== null && host.contains(e.getDomNode())); })()';

/** Sets the Monaco editor inside `[data-test=<dataTest>]` through `window.monaco`, as O2's suite does. */
export async function setEditor(page: Page, dataTest: string, value: string): Promise<void> {
  await page.locator(`[data-test="${dataTest}"] .monaco-editor`).waitFor();
  const done = await page.evaluate<boolean>(
    `(() => { const e = ${editorIn(dataTest)}; e?.setValue(${JSON.stringify(value)}); return e !== undefined; })()`,
  );
  if (!done) throw new Error(`no Monaco editor in ${dataTest}`);
}

/** The whole text of the Monaco editor inside `[data-test=<dataTest>]` (not just its visible lines). */
export async function readEditor(page: Page, dataTest: string): Promise<string> {
  return page.evaluate<string>(`${editorIn(dataTest)}?.getValue() ?? ''`);
}

/** Picks `value` in one of our selects (`<id>-trigger`, then `<id>-option[data-test-value]`). */
export async function pick(
  page: Page,
  dataTest: string,
  value: string,
  scope?: string,
): Promise<void> {
  const root = scope === undefined ? page : page.getByTestId(scope);
  await root.getByTestId(`${dataTest}-trigger`).click();
  await root.locator(`[data-test="${dataTest}-option"][data-test-value="${value}"]`).click();
}

/** `_search` as root over the last hour; the hits. */
export async function searchHits(
  product: ProductProcess,
  sql: string,
): Promise<Array<Record<string, unknown>>> {
  const now = Date.now() * 1000;
  const response = await fetch(`${product.url}/api/default/_search?type=logs`, {
    method: 'POST',
    headers: {
      authorization: basicAuth(ROOT.email, ROOT.password),
      'content-type': 'application/json',
    },
    body: JSON.stringify({
      query: {
        sql,
        start_time: now - 3_600_000_000,
        end_time: now + 60_000_000,
        from: 0,
        size: 100,
      },
    }),
  });
  if (response.status !== 200) return [];
  return ((await response.json()) as { hits: Array<Record<string, unknown>> }).hits;
}
