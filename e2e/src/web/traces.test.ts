import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Page } from 'playwright-core';
import { HOT_COMMERCE_SERVICES, sendHotCommerceTrace } from '@o2/testing';
import { basicAuth } from '../product-process.js';
import { screenshot } from './browser.js';
import { ROOT, apiGet, ingest, login, screenshots, startUiNode } from './ui-node.js';
import type { UiNode } from './ui-node.js';

vi.setConfig({ testTimeout: 90_000 });

const LOG_STREAM = 'shop_logs';
/** Waits up to 15 s (a first search on a busy machine takes more than poll's default 1 s). */
const poll = <T>(read: () => Promise<T> | T) => expect.poll(read, { timeout: 15_000 });
const tracesUrl = (extra = '') => `/web/traces?org_identifier=default&period=1h${extra}`;

/**
 * The traces flow (issue 15, UI-SPEC §8) in Chromium against a single node started as a
 * process, fed over OTLP by the OpenTelemetry JS SDK: a five-service HOT Commerce trace (nine
 * spans, one ERROR span, one span event), a second trace, and log lines that carry trace ids.
 */
describe('traces in Chromium against a single node fed over OTLP', () => {
  let node: UiNode;
  let page: Page;
  let traceId = '';
  let otherTraceId = '';
  const spanIds = new Map<string, string>();
  const summary = () => page.getByTestId('traces-search-result-summary');
  const done = () =>
    poll(async () => (await summary().getAttribute('data-state')) === 'done').toBe(true);
  const rows = () => page.getByTestId('traces-search-result-list').locator('tbody tr');

  beforeAll(async () => {
    node = await startUiNode('web-traces');
    page = node.page;
    const send = (t0: number) =>
      sendHotCommerceTrace({
        orgUrl: `${node.product.url}/api/default`,
        authorization: basicAuth(ROOT.email, ROOT.password),
        stream: 'default',
        t0,
      });
    const t0 = Date.now() - 120_000;
    otherTraceId = await send(t0 - 60_000);
    traceId = await send(t0);
    const details = (await apiGet(
      node.product,
      `/api/default/default/traces/${traceId}/details`,
    )) as { hits: Array<{ span_id: string; operation_name: string }> };
    for (const s of details.hits) spanIds.set(s.operation_name, s.span_id);
    // Log lines the services wrote while serving the trace (and one of another trace).
    await ingest(node.product, 'default', LOG_STREAM, [
      {
        _timestamp: (t0 + 20) * 1000,
        trace_id: traceId,
        span_id: spanIds.get('GetProduct'),
        level: 'info',
        message: 'product 42 loaded',
      },
      {
        _timestamp: (t0 + 55) * 1000,
        trace_id: traceId,
        span_id: spanIds.get('Quote'),
        level: 'error',
        message: 'currency service down',
      },
      {
        _timestamp: (t0 + 90) * 1000,
        trace_id: traceId,
        span_id: spanIds.get('GET /shop/product'),
        level: 'info',
        message: 'shop answered',
      },
      {
        _timestamp: (t0 - 59_950) * 1000,
        trace_id: otherTraceId,
        level: 'info',
        message: 'earlier request',
      },
    ]);
    await login(page);
  }, 120_000);
  afterAll(async () => node?.close());
  afterEach(() => {
    expect(node.problems.list).toEqual([]);
  });

  it('lists both traces with root operation, duration, spans, errors and a scatter point each', async () => {
    await page.getByTestId('menu-link-/traces-item').click();
    await page.waitForURL(/\/web\/traces\?/);
    await done();
    await poll(() => rows().count()).toBe(2);
    const first = rows().first();
    expect(await first.getByTestId('trace-row-operation-name').textContent()).toBe(
      'GET /product/{id}',
    );
    expect(await first.getByTestId('trace-row-service-name').textContent()).toBe('frontend');
    expect(await first.getByTestId('trace-row-duration').textContent()).toBe('100 ms');
    expect(await first.getByTestId('trace-row-spans').textContent()).toBe('9');
    expect(await first.getByTestId('trace-row-error-count').textContent()).toBe('1 error');
    expect(await first.getByTestId('trace-row-service-latency').locator('span').count()).toBe(
      HOT_COMMERCE_SERVICES.length,
    );
    expect(await page.getByTestId('traces-count-badge').textContent()).toBe('2');
    const chart = page.getByTestId('traces-search-result-bar-chart');
    await poll(() => chart.locator('canvas').count()).toBe(1);
    await screenshots(page, 'traces');
  });

  it('opens a trace from its scatter point; a drag on the scatter narrows the time range', async () => {
    await page.goto(tracesUrl());
    await done();
    const chart = page.getByTestId('traces-search-result-bar-chart');
    await poll(() => chart.locator('canvas').count()).toBe(1);
    const box = (await chart.boundingBox())!;
    // The time axis spans the points: the newest trace (100 ms, the y maximum) is top right.
    await page.mouse.click(box.x + box.width - 17, box.y + 13);
    await page.waitForURL(/\/web\/traces\/trace-details\?/);
    expect(new URL(page.url()).searchParams.get('trace_id')).toBe(traceId);

    await page.goto(tracesUrl());
    await done();
    await poll(() => chart.locator('canvas').count()).toBe(1);
    const y = box.y + box.height / 2;
    await page.mouse.move(box.x + box.width * 0.5, y);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.8, y, { steps: 5 });
    await page.mouse.move(box.x + box.width - 10, y, { steps: 5 });
    await page.mouse.up();
    await page.waitForURL(/[?&]from=\d+&to=\d+/);
    // Only the newer trace starts in the brushed range.
    await done();
    await poll(() => page.getByTestId('traces-count-badge').textContent()).toBe('1');
    expect(await rows().first().getByTestId('trace-row-operation-name').textContent()).toBe(
      'GET /product/{id}',
    );
  });

  it('filters by a service facet value and by a duration percentile', async () => {
    await page.goto(tracesUrl());
    await done();
    await page.getByTestId('o-field-list-row-service_name').getByRole('button').first().click();
    const price = page.locator('[data-test="logs-field-value"][data-test-value="price"]');
    await poll(() => price.locator('.value-count').textContent()).toBe('2');
    await price.getByTestId('logs-field-value-include-btn').click();
    await done();
    await poll(() => rows().count()).toBe(2);
    // Under service_name='price' each trace is its one Quote span: 18 ms, one span, the error.
    await poll(() => rows().first().getByTestId('trace-row-duration').textContent()).toBe('18 ms');
    expect(await rows().first().getByTestId('trace-row-spans').textContent()).toBe('1');
    expect(await rows().first().getByTestId('trace-row-error-count').textContent()).toBe('1 error');
    expect(page.url()).toContain('query=');

    await page.getByTestId('traces-search-bar-reset-filters-btn').click();
    await done();
    await page.getByTestId('o-field-list-row-duration').getByRole('button').first().click();
    const p99 = page.getByTestId('traces-duration-p99');
    await poll(() => p99.locator('.value-count').textContent()).toMatch(/ms$/);
    await page.getByTestId('traces-duration-p99-min-btn').click();
    await done();
    // Only the two 100 ms root spans reach the 99th percentile: two traces of one span each.
    await poll(() => rows().first().getByTestId('trace-row-spans').textContent()).toBe('1');
    await screenshot(page, 'traces-filtered-light');

    // Share copies the search with the run's window frozen (from/to instead of period).
    await page.getByTestId('logs-search-bar-share-link-btn').click();
    await page.getByTestId('o-toast-message').waitFor();
    const shared = new URL(await page.evaluate<string>('navigator.clipboard.readText()'));
    expect(shared.pathname).toBe('/web/traces');
    expect(shared.searchParams.get('period')).toBeNull();
    expect(Number(shared.searchParams.get('to'))).toBeGreaterThan(
      Number(shared.searchParams.get('from')),
    );
    expect(shared.searchParams.get('query')).toBe(new URL(page.url()).searchParams.get('query'));
  });

  it('puts a syntax guide example in the filter editor and runs it', async () => {
    await page.goto(tracesUrl());
    await done();
    await page.getByTestId('traces-syntax-guide-btn').click();
    await page
      .getByTestId('traces-syntax-guide-example')
      .filter({ hasText: "span_status='ERROR'" })
      .click();
    await poll(() => page.evaluate<string>('window.monaco.editor.getEditors()[0].getValue()')).toBe(
      "span_status='ERROR'",
    );
    await page.getByTestId('logs-search-bar-refresh-btn').click();
    await poll(() => rows().first().getByTestId('trace-row-duration').textContent()).toBe('18 ms');
    expect(await rows().count()).toBe(2);
  });

  it('opens the trace: waterfall of 9 spans, the error span highlighted, its sidebar tabs', async () => {
    await page.goto(tracesUrl());
    await done();
    await rows().first().getByTestId('trace-row-operation-name').click();
    await page.waitForURL(/\/web\/traces\/trace-details\?/);
    expect(new URL(page.url()).searchParams.get('trace_id')).toBe(traceId);
    const header = page.getByTestId('trace-details-header');
    expect(await header.getByTestId('trace-details-trace-id').textContent()).toBe(traceId);
    await poll(() => header.getByTestId('trace-details-spans-count').textContent()).toBe('9');
    expect(await header.getByTestId('trace-details-error-spans-count').textContent()).toBe('1');
    expect(await header.getByTestId('trace-details-duration').textContent()).toBe('100 ms');
    const tree = page.getByTestId('trace-details-tree');
    expect(await tree.getByTestId('span-block').count()).toBe(9);
    const quote = spanIds.get('Quote')!;
    const errorRow = page.getByTestId(`trace-tree-span-container-${quote}`);
    expect(await errorRow.getAttribute('data-error')).toBe('true');
    expect(await page.getByTestId(`trace-tree-span-error-icon-${quote}`).count()).toBe(1);
    await screenshots(page, 'trace-details');

    await page.getByTestId(`trace-tree-span-select-btn-${quote}`).click();
    const sidebar = page.getByTestId('trace-details-sidebar');
    expect(
      await sidebar.getByTestId('trace-details-sidebar-header-operation-name').textContent(),
    ).toBe('Quote');
    expect(await sidebar.getByTestId('trace-details-sidebar-header-status').textContent()).toBe(
      'ERROR',
    );
    // An error span opens on its Error tab, which shows the status message.
    expect(await sidebar.getByTestId('trace-details-sidebar-error-message').textContent()).toBe(
      'currency service down',
    );
    await sidebar.getByTestId('trace-details-sidebar-tabs-attributes').click();
    const attrs = sidebar.getByTestId('trace-details-sidebar-attributes-table');
    expect(await attrs.locator('tr[data-field="service_name"] td').first().textContent()).toBe(
      'price',
    );
    await sidebar.getByTestId('trace-details-sidebar-tabs-links').click();
    await sidebar.getByTestId('trace-details-sidebar-no-links').waitFor();
    await screenshot(page, 'trace-details-error-span-light');

    // The review service's span carries the `cache miss` event.
    await page.getByTestId(`trace-tree-span-select-btn-${spanIds.get('ListReviews')}`).click();
    await sidebar.getByTestId('trace-details-sidebar-tabs-events').click();
    const events = sidebar.getByTestId('trace-details-sidebar-events-table');
    expect(await events.getByTestId('trace-details-sidebar-event-name').textContent()).toBe(
      'cache miss',
    );
    expect(await events.textContent()).toContain('reviews:42');
    await screenshot(page, 'trace-details-events-light');

    // It links to the price quote; following the link selects that span.
    await sidebar.getByTestId('trace-details-sidebar-tabs-links').click();
    const link = sidebar
      .getByTestId('trace-details-sidebar-links-table')
      .getByTestId('trace-event-detail-link-0');
    expect(await link.textContent()).toContain(quote);
    expect(await link.textContent()).toContain('priced together');
    await link.click();
    await page.waitForURL(new RegExp(`span_id=${quote}`));
    await poll(() =>
      sidebar.getByTestId('trace-details-sidebar-header-operation-name').textContent(),
    ).toBe('Quote');
  });

  it("jumps from the trace to its logs, and from the error span to that span's logs", async () => {
    await page.goto(
      `/web/traces/trace-details?org_identifier=default&stream=default&trace_id=${traceId}`,
    );
    await poll(() => page.getByTestId('trace-details-spans-count').textContent()).toBe('9');
    await page.getByTestId('trace-details-view-logs-btn').click();
    await page.waitForURL(/\/web\/logs\?/);
    const url = new URL(page.url());
    expect(url.searchParams.get('stream')).toBe(LOG_STREAM);
    expect(Buffer.from(url.searchParams.get('query')!, 'base64').toString()).toBe(
      `"trace_id"='${traceId}'`,
    );
    const logsSummary = page.getByTestId('logs-search-result-summary');
    await poll(() => logsSummary.textContent()).toMatch(/^Showing 1 to 3 of 3 events/);
    await screenshot(page, 'trace-logs-light');

    await page.goBack();
    await page.getByTestId(`trace-tree-span-select-btn-${spanIds.get('Quote')}`).click();
    await page.getByTestId('trace-details-sidebar-header-toolbar-view-logs-btn').click();
    await page.waitForURL(/\/web\/logs\?/);
    await poll(() => logsSummary.textContent()).toMatch(/^Showing 1 to 1 of 1 events/);
    expect(await page.getByTestId('o2-table-cell-source').textContent()).toContain(
      'currency service down',
    );
  });

  it("searches traces by a span's attribute from the sidebar (include)", async () => {
    const quote = spanIds.get('Quote')!;
    await page.goto(
      `/web/traces/trace-details?org_identifier=default&stream=default&trace_id=${traceId}&span_id=${quote}`,
    );
    const sidebar = page.getByTestId('trace-details-sidebar');
    await sidebar.getByTestId('trace-details-sidebar-tabs-attributes').click();
    await sidebar
      .locator('tr[data-field="operation_name"]')
      .getByTestId('trace-details-sidebar-attr-filter-action-=')
      .click();
    await page.waitForURL(/\/web\/traces\?/);
    await done();
    await poll(() => rows().first().getByTestId('trace-row-duration').textContent()).toBe('18 ms');
    expect(await rows().count()).toBe(2);
  });

  it('widens a stale linked range to where the trace is and says so', async () => {
    const hourAgo = (Date.now() - 3_600_000) * 1000;
    await page.goto(
      `/web/traces/trace-details?org_identifier=default&stream=default&trace_id=${otherTraceId}` +
        `&from=${hourAgo}&to=${hourAgo + 1_000_000}`,
    );
    await page.getByTestId('trace-details-time-range-updated').waitFor();
    expect(await page.getByTestId('trace-details-spans-count').textContent()).toBe('9');
  });

  it('auto-refresh shows a trace sent after the page opened', async () => {
    await page.goto(tracesUrl('&refresh=5'));
    await done();
    expect(await page.getByTestId('traces-count-badge').textContent()).toBe('2');
    const third = await sendHotCommerceTrace({
      orgUrl: `${node.product.url}/api/default`,
      authorization: basicAuth(ROOT.email, ROOT.password),
      stream: 'default',
      t0: Date.now() - 30_000,
    });
    await poll(() => page.getByTestId('traces-count-badge').textContent()).toBe('3');
    await poll(() =>
      rows().first().getByTestId('trace-row-operation-name').getAttribute('href'),
    ).toContain(third);
  });
});
