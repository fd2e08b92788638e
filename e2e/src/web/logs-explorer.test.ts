import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Page } from 'playwright-core';
import { screenshot } from './browser.js';
import { flush, ingest, k8sRecords, login, screenshots, startUiNode } from './ui-node.js';
import type { UiNode } from './ui-node.js';

vi.setConfig({ testTimeout: 90_000 });

const STREAM = 'k8s_logs';
const b64 = (text: string) => encodeURIComponent(Buffer.from(text).toString('base64'));
const logsUrl = (extra = '') =>
  `/web/logs?org_identifier=default&stream=${STREAM}&period=1h${extra}`;
const setQuery = (page: Page, q: string) =>
  page.evaluate(`window.monaco.editor.getEditors()[0].setValue(${JSON.stringify(q)})`);

/** The logs explorer (UI-SPEC §5) in Chromium against a single node started as a process. */
describe('logs explorer in Chromium against a single node (process)', () => {
  let node: UiNode;
  let page: Page;
  const summary = () => page.getByTestId('logs-search-result-summary');
  const done = () =>
    expect.poll(async () => (await summary().getAttribute('data-state')) === 'done').toBe(true);

  beforeAll(async () => {
    node = await startUiNode('web-logs');
    page = node.page;
    await ingest(node.product, 'default', STREAM, k8sRecords(120));
    await login(page);
  }, 120_000);
  afterAll(async () => node?.close());
  afterEach(() => {
    expect(node.problems.list).toEqual([]);
  });

  it('finds a record with match_all in quick mode and expands its row to JSON', async () => {
    await page.goto(logsUrl());
    await expect.poll(() => summary().textContent()).toMatch(/^Showing 1 to 100 of 120 events/);
    await expect.poll(() => page.evaluate<boolean>('window.monaco !== undefined')).toBe(true);
    await setQuery(page, "match_all('req-7x')");
    await page.getByTestId('logs-search-bar-refresh-btn').click();
    await expect.poll(() => summary().textContent()).toMatch(/^Showing 1 to 1 of 1 events/);
    expect(await page.getByTestId('o2-table-cell-source').textContent()).toContain('req-7x');
    await page.getByTestId('o2-table-expand-0').click();
    expect(await page.getByTestId('o2-table-json-0').textContent()).toContain(
      '"k8s_pod_name": "web-1"',
    );
    expect(page.url()).toContain(`query=${b64("match_all('req-7x')")}`);
    await screenshots(page, 'logs');
  });

  it('opens a row in the detail drawer and shows its context (_around)', async () => {
    await page.goto(logsUrl(`&query=${b64("match_all('req-7x')")}`));
    await expect.poll(() => summary().textContent()).toMatch(/^Showing 1 to 1 of 1 events/);
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
  });

  it('finds records in SQL mode and filters by a clicked field value', async () => {
    await page.goto(logsUrl());
    await done();
    await setQuery(
      page,
      `SELECT * FROM "${STREAM}" WHERE k8s_namespace_name = 'shop' ORDER BY _timestamp DESC`,
    );
    await page.getByTestId('logs-search-bar-refresh-btn').click();
    await expect.poll(() => summary().textContent()).toMatch(/^Showing 1 to 60 of 60 events/);
    expect(
      await page.getByTestId('logs-search-bar-sql-mode-toggle-btn').getAttribute('aria-checked'),
    ).toBe('true');

    await setQuery(page, '');
    await page.getByTestId('o-field-list-row-k8s_pod_name').getByRole('button').first().click();
    const value = page.locator('[data-test="logs-field-value"][data-test-value="web-1"]');
    await expect.poll(() => value.locator('.value-count').textContent()).toBe('40');
    await value.getByTestId('logs-field-value-include-btn').click();
    await expect.poll(() => summary().textContent()).toMatch(/^Showing 1 to 40 of 40 events/);
  });

  it('brush-zoom on the histogram changes the time range and the URL', async () => {
    await page.goto(logsUrl());
    await done();
    const chart = page.getByTestId('logs-search-result-bar-chart');
    await expect.poll(() => chart.locator('canvas').count()).toBe(1);
    expect(new URL(page.url()).searchParams.get('from')).toBeNull();
    const box = (await chart.boundingBox())!;
    const y = box.y + box.height / 2;
    // Drag across the right part of the chart (the newest buckets).
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
    await done();
    const total = Number(/of (\d+) events/.exec((await summary().textContent()) ?? '')?.[1]);
    expect(total).toBeGreaterThan(0);
    expect(total).toBeLessThanOrEqual(120);
    await screenshot(page, 'logs-zoomed-light');
  });

  it('h hides the histogram, kept in the URL; its toggle shows it again', async () => {
    await page.goto(logsUrl());
    await done();
    const chart = page.getByTestId('logs-search-result-bar-chart');
    await chart.waitFor();
    await summary().click(); // out of the editor: shortcuts never fire while typing
    await page.keyboard.press('h');
    await page.waitForURL(/[?&]show_histogram=false/);
    await expect.poll(() => chart.count()).toBe(0);
    await page.getByTestId('logs-search-bar-show-histogram-toggle-btn').click();
    await page.waitForURL(/[?&]show_histogram=true/);
    await chart.waitFor();
  });

  it('pages past 100 rows and changes the rows per page', async () => {
    await page.goto(logsUrl());
    await expect.poll(() => summary().textContent()).toMatch(/^Showing 1 to 100 of 120 events/);
    await page.getByTestId('logs-search-result-page-2-btn').click();
    await expect.poll(() => summary().textContent()).toMatch(/^Showing 101 to 120 of 120 events/);
    expect(await page.getByTestId('o2-table-row-0').textContent()).toContain('req-100x');
    await page.getByTestId('logs-search-result-records-per-page-trigger').click();
    await page
      .locator('[data-test="logs-search-result-records-per-page-option"][data-test-value="25"]')
      .click();
    await expect.poll(() => summary().textContent()).toMatch(/^Showing 1 to 25 of 120 events/);
    await page.getByTestId('logs-search-result-page-5-btn').click();
    await expect.poll(() => summary().textContent()).toMatch(/^Showing 101 to 120 of 120 events/);
    expect(await page.getByTestId('logs-search-result-next-page-btn').isDisabled()).toBe(true);
  });

  it('picks columns, resizes one, and keeps its width after a reload', async () => {
    await page.goto(logsUrl());
    await done();
    await page.getByTestId('logs-table-columns-btn').click();
    await page.getByTestId('logs-table-column-k8s_pod_name').click();
    await page.waitForURL(/[?&]columns=k8s_pod_name/);
    const header = page.getByTestId('o2-table-th-k8s_pod_name');
    await expect.poll(() => header.isVisible()).toBe(true);
    expect(await page.getByTestId('o2-table-th-source').count()).toBe(0);
    expect(
      await page
        .getByTestId('o2-table-row-0')
        .getByTestId('o2-table-cell-k8s_pod_name')
        .textContent(),
    ).toBe('web-0');
    const before = (await header.boundingBox())!.width;
    const handle = (await page.getByTestId('o2-table-resize-k8s_pod_name').boundingBox())!;
    await page.mouse.move(handle.x + handle.width / 2, handle.y + handle.height / 2);
    await page.mouse.down();
    await page.mouse.move(handle.x + 120, handle.y + handle.height / 2, { steps: 5 });
    await page.mouse.up();
    await expect.poll(async () => (await header.boundingBox())!.width).toBeGreaterThan(before + 80);
    await page.reload();
    await done();
    const after = (await page.getByTestId('o2-table-th-k8s_pod_name').boundingBox())!.width;
    expect(after).toBeGreaterThan(before + 80);
  });

  it('the date-time picker sets a relative period, and an absolute range in a chosen zone', async () => {
    await page.goto(logsUrl());
    await done();
    const picker = page.getByTestId('date-time-btn');
    await picker.click();
    await page.getByTestId('date-time-relative-5-m-btn').click();
    await page.waitForURL(/[?&]period=5m/);
    expect(await picker.textContent()).toContain('Past 5 Minutes');
    await done();

    // Ten records a minute apart (at :30), half an hour ago; the range picks the 3rd to 5th.
    const base = (Math.floor(Date.now() / 60_000) - 30) * 60_000;
    const at = (k: number) => (base + k * 60_000 + 30_000) * 1000;
    const records = Array.from({ length: 10 }, (_, k) => ({ _timestamp: at(k), log: `tz-${k}` }));
    await ingest(node.product, 'default', 'tz_logs', records);
    await page.goto(`/web/logs?org_identifier=default&stream=tz_logs&period=1h`);
    await done();
    // Asia/Tokyo is UTC+9 all year: its wall clock is the UTC one moved on.
    const tokyo = (ms: number) => new Date(ms + 9 * 3_600_000).toISOString();
    const [fromDate, fromTime] = tokyo(base + 2 * 60_000)
      .slice(0, 19)
      .split('T');
    const [toDate, toTime] = tokyo(base + 5 * 60_000)
      .slice(0, 19)
      .split('T');
    await picker.click();
    await page.getByTestId('datetime-timezone-select-trigger').click();
    await page.getByTestId('datetime-timezone-select-search').fill('Tokyo');
    await page
      .locator('[data-test="datetime-timezone-select-option"][data-test-value="Asia/Tokyo"]')
      .click();
    await page.waitForURL(/[?&]timezone=Asia%2FTokyo/);
    await page.getByTestId('date-time-absolute-tab').click();
    await page.getByTestId('datetime-start-date').fill(fromDate!);
    await page.getByTestId('datetime-start-time').fill(fromTime!);
    await page.getByTestId('datetime-end-date').fill(toDate!);
    await page.getByTestId('datetime-end-time').fill(toTime!);
    await page.getByTestId('date-time-apply-btn').click();
    await page.waitForURL(
      new RegExp(`[?&]from=${(base + 120_000) * 1000}&to=${(base + 300_000) * 1000}`),
    );
    await expect.poll(() => summary().textContent()).toMatch(/^Showing 1 to 3 of 3 events/);
    // `_timestamp` is shown on the chosen zone's clock; the choice is kept for the next visit.
    const newest = tokyo(at(4) / 1000)
      .slice(0, 23)
      .replace('T', ' ');
    expect(await page.getByTestId('o2-table-cell-_timestamp').first().textContent()).toBe(newest);
    expect(await page.evaluate("localStorage.getItem('timezone')")).toBe('Asia/Tokyo');
    await screenshot(page, 'logs-absolute-tokyo-light');
  });

  it('shows the query profile on demand: files scanned and pruned, records, stage ms', async () => {
    // Two stored files, only one holding the term: the token index rules the other out.
    await ingest(node.product, 'default', 'profile_logs', [
      { log: 'alpha needle' },
      { log: 'gamma needle' },
    ]);
    await flush(node.product);
    await ingest(node.product, 'default', 'profile_logs', [{ log: 'beta haystack' }]);
    await flush(node.product);
    const query = b64("match_all('needle')");
    await page.goto(
      `/web/logs?org_identifier=default&stream=profile_logs&period=1h&query=${query}`,
    );
    await expect.poll(() => summary().textContent()).toMatch(/^Showing 1 to 2 of 2 events/);
    await page.getByTestId('logs-query-profile-btn').click();
    const drawer = page.getByTestId('logs-query-profile-drawer');
    const figure = (key: string) => drawer.getByTestId(`logs-query-profile-${key}`).textContent();
    expect(await figure('partitions')).toBe('1');
    expect(await figure('plan-files')).toBe('2');
    expect(await figure('files-scanned')).toBe('1');
    expect(await figure('files-pruned')).toBe('1');
    expect(await figure('records-scanned')).toBe('2');
    expect(await figure('matched')).toBe('2');
    for (const stage of ['took', 'file-list-took', 'search-took'])
      expect(Number(await figure(stage))).toBeGreaterThanOrEqual(0);
    expect(await drawer.getByTestId('logs-query-profile-partition-0').count()).toBe(1);
    await screenshot(page, 'logs-profile-light');
    await drawer.getByTestId('o-drawer-close-btn').click();
  });

  it('runs partition by partition with a progress bar; Cancel keeps the rows that arrived', async () => {
    await page.goto(logsUrl());
    await done();
    const progress = page.getByTestId('logs-search-progress');
    expect(await progress.getAttribute('data-state')).toBe('done');
    const planned = Number(await progress.getAttribute('aria-valuemax'));
    expect(planned).toBeGreaterThanOrEqual(1);
    expect(Number(await progress.getAttribute('aria-valuenow'))).toBe(planned);

    // The histogram's search is held back: the rows arrive, the run is still going at Cancel.
    let release = () => undefined as void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const histogramSearch = (url: URL) => url.pathname.endsWith('/_search');
    await page.route(histogramSearch, async (route) => {
      await held;
      await route.continue().catch(() => undefined);
    });
    await page.getByTestId('logs-search-bar-refresh-btn').click();
    await expect.poll(() => progress.getAttribute('data-state')).toBe('running');
    await page.getByTestId('o2-table-row-0').waitFor();
    await page.getByTestId('logs-search-bar-cancel-btn').click();
    await expect.poll(() => summary().getAttribute('data-state')).toBe('cancelled');
    // Cancel keeps what arrived: the page of rows and its count.
    expect(await summary().textContent()).toMatch(/^Showing 1 to 100 of 120 events.*\(cancelled\)/);
    expect(await page.getByTestId('o2-table-row-0').textContent()).toContain('req-');
    expect(await progress.getAttribute('data-state')).toBe('cancelled');
    expect(await page.getByTestId('logs-search-bar-refresh-btn').isEnabled()).toBe(true);
    release();
    await page.unroute(histogramSearch);
    await page.getByTestId('logs-search-bar-refresh-btn').click();
    await expect.poll(() => summary().textContent()).toMatch(/^Showing 1 to 100 of 120 events/);
    await done();
  });

  it('prints the first-render time of the logs page over 10k hits', async () => {
    await ingest(node.product, 'default', 'big_logs', k8sRecords(10_000));
    const started = Date.now();
    await page.goto(`/web/logs?org_identifier=default&stream=big_logs&period=1d`);
    await expect.poll(() => summary().textContent()).toMatch(/^Showing 1 to 100 of 10000 events/);
    await page.getByTestId('o2-table-row-0').waitFor();
    const ms = Date.now() - started;
    process.stdout.write(
      `[web] logs page first render over 10000 hits: ${ms} ms (navigation to the first page drawn)\n`,
    );
    expect(ms).toBeLessThan(20_000);
    // Virtualised: only the rows in view are in the DOM; scrolling brings the last one in.
    const drawn = await page.locator('[data-test^="o2-table-row-"]').count();
    expect(drawn).toBeLessThan(100);
    await page.evaluate(
      `document.querySelector('[data-test="logs-search-result-logs-table"]').scrollTop = 1e9`,
    );
    await page.getByTestId('o2-table-row-99').waitFor();
  });

  it('auto-refresh picks up a record ingested after the page opened, keeping open rows open', async () => {
    await page.goto(logsUrl());
    await expect.poll(() => summary().textContent()).toMatch(/ of 120 events/);
    await page.getByTestId('o2-table-expand-0').click();
    const opened = await page.getByTestId('o2-table-json-0').textContent();
    await page.getByTestId('logs-search-bar-auto-refresh-trigger').click();
    await page
      .locator('[data-test="logs-search-bar-auto-refresh-option"][data-test-value="5"]')
      .click();
    await page.waitForURL(/[?&]refresh=5/);
    await ingest(node.product, 'default', STREAM, [
      { log: 'late arrival', k8s_namespace_name: 'shop' },
    ]);
    await expect.poll(() => summary().textContent(), { timeout: 12_000 }).toMatch(/ of 121 events/);
    // The new record is row 0; the row opened before the refresh is row 1 and still open.
    expect(await page.getByTestId('o2-table-row-0').textContent()).toContain('late arrival');
    expect(await page.getByTestId('o2-table-json-1').textContent()).toBe(opened);
  });
});
