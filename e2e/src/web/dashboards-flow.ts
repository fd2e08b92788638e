import { readFile } from 'node:fs/promises';
import { expect } from 'vitest';
import type { Page } from 'playwright-core';
import { encodeRemoteWrite } from '@o2/prom-remote-write';
import { basicAuth } from '../product-process.js';
import type { ProductProcess } from '../product-process.js';
import { ROOT } from './ui-node.js';

export const NAMESPACES = ['monitoring', 'payments', 'shop'];

/**
 * The article's metrics through Prometheus remote write (the project's own encoder): pod memory
 * per namespace (two pods each, a sample every 30 s for 10 minutes) and `k8s_namespace_phase`,
 * with their type and help as remote-write metadata.
 */
export async function sendK8sMetrics(product: ProductProcess): Promise<void> {
  const now = Date.now();
  const times = Array.from({ length: 20 }, (_, i) => now - (19 - i) * 30_000);
  const series = NAMESPACES.flatMap((ns, n) => [
    ...[0, 1].map((pod) => ({
      labels: {
        __name__: 'k8s_pod_memory_usage',
        k8s_namespace_name: ns,
        k8s_pod_name: `${ns}-pod-${pod}`,
      },
      samples: times.map((t, i) => ({
        timestampMs: t,
        value: (n + 1) * 100_000_000 + pod * 1000 + i,
      })),
    })),
    {
      labels: { __name__: 'k8s_namespace_phase', k8s_namespace_name: ns },
      samples: times.map((t) => ({ timestampMs: t, value: 1 })),
    },
  ]);
  const body = encodeRemoteWrite(series, [
    { family: 'k8s_pod_memory_usage', type: 'Gauge', help: 'Memory usage of the pod in bytes' },
    {
      family: 'k8s_namespace_phase',
      type: 'Gauge',
      help: 'Namespace phase: 1 active, 0 terminating',
    },
  ]);
  const response = await fetch(`${product.url}/api/default/prometheus/api/v1/write`, {
    method: 'POST',
    headers: {
      authorization: basicAuth(ROOT.email, ROOT.password),
      'content-type': 'application/x-protobuf',
      'content-encoding': 'snappy',
      'x-prometheus-remote-write-version': '0.1.0',
    },
    body,
  });
  // Prometheus's answer to a stored remote write: 204 No Content.
  expect(response.status).toBe(204);
}

/**
 * Waits until the page's chart legend (`chart-legend-item`, sorted) is `expected`: polled as a
 * whole, so a chart still on screen from the previous page never passes for the new one.
 */
export async function expectLegend(page: Page, expected: string[]): Promise<void> {
  const items = page.getByTestId('chart-legend-item');
  await expect
    .poll(async () => (await items.allTextContents()).sort(), { timeout: 20_000 })
    .toEqual(expected);
}

/** Replaces the Monaco editor's text (the page's only editor) as a user's paste would. */
export async function setEditorText(page: Page, text: string): Promise<void> {
  await page.waitForFunction('window.monaco?.editor.getEditors().length === 1');
  await page.evaluate(`window.monaco.editor.getEditors()[0].setValue(${JSON.stringify(text)})`);
}

/** The text of the page's Monaco editor. */
export const editorText = (page: Page) =>
  page.evaluate<string>('window.monaco?.editor.getEditors()[0]?.getValue() ?? ""');

/** Picks `value` in one of our selects (`<id>-trigger`, then `<id>-option[data-test-value]`). */
export async function pick(page: Page, id: string, value: string): Promise<void> {
  await page.getByTestId(`${id}-trigger`).click();
  await page.locator(`[data-test="${id}-option"][data-test-value="${value}"]`).click();
}

/** Clicks a button that downloads a file and answers the file's text. */
export async function downloadOf(page: Page, click: () => Promise<void>): Promise<string> {
  const [download] = await Promise.all([page.waitForEvent('download'), click()]);
  const path = await download.path();
  return readFile(path, 'utf8');
}
