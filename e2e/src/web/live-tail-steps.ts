import { expect } from 'vitest';
import type { Page } from 'playwright-core';
import { basicAuth } from '../product-process.js';
import { screenshot } from './browser.js';

/** Where records go and who sends them (the node's or the cluster router's URL). */
export interface TailTarget {
  url: string;
  auth: { email: string; password: string };
  stream: string;
}

/** Ingests through the HTTP API; resolves at the ack with the wall-clock time it arrived. */
export async function ingestAcked(target: TailTarget, records: object[]): Promise<number> {
  const response = await fetch(`${target.url}/api/default/${target.stream}/_json`, {
    method: 'POST',
    headers: {
      authorization: basicAuth(target.auth.email, target.auth.password),
      'content-type': 'application/json',
    },
    body: JSON.stringify(records),
  });
  const ackedAt = Date.now();
  expect(response.status).toBe(200);
  await response.arrayBuffer();
  return ackedAt;
}

/**
 * Starts watching the live tail list for `text`: the page records (its own clock, the same
 * machine's) when a row holding it is first in the DOM. Read it with `seenAt`.
 */
async function watchFor(page: Page, key: string, text: string): Promise<void> {
  // A script string: the e2e project has no DOM typings (as ui.test.ts does).
  await page.evaluate(`(() => {
    const seen = (window.tailSeen ??= {});
    const key = ${JSON.stringify(key)};
    const text = ${JSON.stringify(text)};
    const check = () => {
      const list = document.querySelector('[data-test="logs-live-tail-rows"]');
      if (seen[key] === undefined && list !== null && list.textContent.includes(text)) {
        seen[key] = Date.now();
        observer.disconnect();
      }
    };
    const observer = new MutationObserver(check);
    observer.observe(document.body, { childList: true, subtree: true, characterData: true });
    check();
  })()`);
}

async function seenAt(page: Page, key: string): Promise<number> {
  const read = () =>
    page.evaluate<number | null>(`window.tailSeen?.[${JSON.stringify(key)}] ?? null`);
  await expect.poll(read, { timeout: 10_000, interval: 50 }).toBeTypeOf('number');
  return (await read()) as number;
}

const rowsText = (page: Page) => page.getByTestId('logs-live-tail-rows').textContent();

/** Where a row sits on screen (px from the viewport top). */
const rowTop = (page: Page, text: string) =>
  page.evaluate<number>(`(() => {
    const rows = document.querySelectorAll('[data-test="logs-live-tail-rows"] .live-tail-row');
    const row = [...rows].find((r) => r.textContent.includes(${JSON.stringify(text)}));
    return row.getBoundingClientRect().top;
  })()`);

/**
 * The live tail path in Chromium, on a logged-in page: a record ingested after the page opened
 * shows within 1 s of its ack (measured, returned), pause holds rows back, resume offers them
 * as "N new rows", and showing rows added above a scrolled view keeps the view in place.
 */
export async function liveTailSteps(
  page: Page,
  target: TailTarget,
  shot?: string,
): Promise<number> {
  const tag = `${Date.now().toString(36)}`;
  await page.goto(`/web/logs?org_identifier=default&stream=${target.stream}&period=1h`);
  const toggle = page.getByTestId('logs-search-bar-live-tail-toggle-btn');
  await expect.poll(() => toggle.isEnabled()).toBe(true);
  await toggle.click();
  const status = page.getByTestId('logs-live-tail-status');
  await expect.poll(() => status.getAttribute('data-state'), { timeout: 15_000 }).toBe('live');

  // 1. Latency: from the ingest ack to the row in the DOM.
  await watchFor(page, 'first', `live-${tag}-first`);
  const ackedAt = await ingestAcked(target, [{ log: `live-${tag}-first`, level: 'info' }]);
  const latencyMs = (await seenAt(page, 'first')) - ackedAt;
  expect(latencyMs).toBeLessThan(1_000);

  // Enough rows to scroll, shown as they come (the view is at the top).
  await ingestAcked(
    target,
    Array.from({ length: 30 }, (_, i) => ({ log: `fill-${tag}-${i}`, level: 'info' })),
  );
  await expect.poll(() => rowsText(page)).toContain(`fill-${tag}-29`);

  // 2. Pause: rows arrive (the status counts them) but the list does not change.
  await page.getByTestId('logs-live-tail-pause-btn').click();
  await ingestAcked(
    target,
    Array.from({ length: 3 }, (_, i) => ({ log: `held-${tag}-${i}`, level: 'warn' })),
  );
  await expect.poll(() => status.textContent()).toContain('Paused · 3 new held');
  expect(await rowsText(page)).not.toContain(`held-${tag}`);

  // 3. Resume: "3 new rows", shown on click.
  await page.getByTestId('logs-live-tail-pause-btn').click();
  const banner = page.getByTestId('logs-live-tail-new-rows-btn');
  await expect.poll(() => banner.textContent()).toBe('3 new rows');
  expect(await rowsText(page)).not.toContain(`held-${tag}`);
  await banner.click();
  await expect.poll(() => rowsText(page)).toContain(`held-${tag}-2`);

  // 4. Scrolled down, new rows wait in the banner; showing them keeps the view in place.
  await page.evaluate(
    `document.querySelector('[data-test="logs-live-tail-rows"]').scrollTop = 200`,
  );
  const anchor = `fill-${tag}-20`;
  const before = await rowTop(page, anchor);
  await ingestAcked(target, [
    { log: `scrolled-${tag}-0`, level: 'info' },
    { log: `scrolled-${tag}-1`, level: 'info' },
  ]);
  await expect.poll(() => banner.textContent()).toBe('2 new rows');
  expect(await rowTop(page, anchor)).toBeCloseTo(before, 0);
  await banner.click();
  await expect.poll(() => rowsText(page)).toContain(`scrolled-${tag}-1`);
  expect(await rowTop(page, anchor)).toBeCloseTo(before, 0);
  if (shot !== undefined) await screenshot(page, shot);

  await toggle.click();
  await expect.poll(() => page.getByTestId('logs-live-tail-rows').count()).toBe(0);
  return latencyMs;
}
