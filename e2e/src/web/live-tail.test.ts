import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ingestAcked, liveTailSteps } from './live-tail-steps.js';
import { ROOT, login, startUiNode } from './ui-node.js';
import type { UiNode } from './ui-node.js';

vi.setConfig({ testTimeout: 90_000 });

const STREAM = 'tail_logs';

describe('live tail in Chromium against a single node (process)', () => {
  let node: UiNode;

  beforeAll(async () => {
    node = await startUiNode('web-live-tail');
  }, 120_000);

  afterAll(async () => {
    await node?.close();
  });

  it('live tail shows a record ingested after the page opened within 1 s', async ({ annotate }) => {
    const { page, problems } = node;
    const target = { url: node.product.url, auth: ROOT, stream: STREAM };
    // The stream exists before the page opens (the picker lists it).
    await ingestAcked(target, [{ log: 'seed', level: 'info' }]);
    await login(page);
    await page.waitForURL(/\/web\/?\?org_identifier=default$/);

    const latencyMs = await liveTailSteps(page, target, 'live-tail-light');
    await annotate(`live tail, single node: ingest ack → row in the DOM ${latencyMs} ms`);
    expect(problems.list).toEqual([]);
  });
});
