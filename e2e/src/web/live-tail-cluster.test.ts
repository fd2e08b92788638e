import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Page } from 'playwright-core';
import { connectNatsCluster } from '@o2/cluster';
import { ROLE_CLUSTER_ROOT } from '../cluster/role-cluster.js';
import { basicAuth } from '../product-process.js';
import type { ProductProcess } from '../product-process.js';
import type { PageProblems } from './browser.js';
import { ingestAcked, liveTailSteps } from './live-tail-steps.js';
import type { TailTarget } from './live-tail-steps.js';
import { startUiCluster } from './ui-cluster.js';
import type { UiCluster } from './ui-cluster.js';

vi.setConfig({ testTimeout: 90_000 });
const ROOT = ROLE_CLUSTER_ROOT;
const STREAM = 'tail_cluster_logs';

/** The router's `_tail` event stream, read with fetch: each `rows` hit and when it arrived. */
async function openTail(url: string, filter: string) {
  const abort = new AbortController();
  const query = new URLSearchParams({ type: 'logs', filter });
  const response = await fetch(`${url}/api/default/${STREAM}/_tail?${query.toString()}`, {
    headers: { authorization: basicAuth(ROOT.email, ROOT.password) },
    signal: abort.signal,
  });
  expect(response.status).toBe(200);
  const arrived = new Map<string, number>();
  let ready = false;
  const reading = (async () => {
    const decoder = new TextDecoder();
    let buffer = '';
    for await (const chunk of response.body as AsyncIterable<Uint8Array>) {
      buffer += decoder.decode(chunk, { stream: true });
      const blocks = buffer.split('\n\n');
      buffer = blocks.pop() ?? '';
      for (const block of blocks) {
        if (block.startsWith('event: ready')) ready = true;
        if (!block.startsWith('event: rows')) continue;
        const data = JSON.parse(block.slice(block.indexOf('data: ') + 6)) as {
          hits: Array<{ log: string }>;
        };
        for (const hit of data.hits) arrived.set(hit.log, Date.now());
      }
    }
  })().catch(() => undefined);
  await expect.poll(() => ready, { timeout: 15_000 }).toBe(true);
  return {
    arrived,
    close: async () => {
      abort.abort();
      await reading;
    },
  };
}

/**
 * Live tail against a cluster of role processes: rows are acknowledged by two ingesters (the
 * router alternates between them), and the router merges each ingester's TailService stream.
 */
describe('live tail against a cluster (router + two ingesters + querier)', () => {
  let ui: UiCluster;
  let router: ProductProcess;
  let page: Page;
  let problems: PageProblems;
  let target: TailTarget;

  beforeAll(async () => {
    ui = await startUiCluster('livetail', 2);
    ({ router, page, problems } = ui);
    // Both ingesters registered (what the router lists when a tail subscribes).
    const registry = await connectNatsCluster({ servers: ui.cluster.nats.url });
    try {
      const deadline = Date.now() + 60_000;
      while ((await registry.nodes.list('ingester')).length < 2) {
        if (Date.now() > deadline) throw new Error('the two ingesters did not register');
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    } finally {
      await registry.close();
    }
    target = { url: router.url, auth: ROOT, stream: STREAM };
    await ingestAcked(target, [{ log: 'seed', level: 'info' }]);
  }, 240_000);

  afterAll(async () => {
    await ui?.close();
  }, 120_000);

  it('merges the rows both ingesters acknowledge, filtered, each within 1 s of its ack', async ({
    annotate,
  }) => {
    const tail = await openTail(router.url, "level = 'error'");
    const acks = new Map<string, number>();
    // One request at a time: the router sends consecutive requests to alternate ingesters.
    for (let i = 0; i < 6; i++) {
      const log = `cluster-row-${i}`;
      acks.set(
        log,
        await ingestAcked(target, [
          { log, level: 'error' },
          { log: `${log}-filtered-out`, level: 'info' },
        ]),
      );
    }
    await expect.poll(() => tail.arrived.size, { timeout: 10_000 }).toBe(6);
    const latencies = [...acks].map(([log, ackedAt]) => (tail.arrived.get(log) ?? 0) - ackedAt);
    expect(Math.max(...latencies)).toBeLessThan(1_000);
    await annotate(`live tail, cluster API: ack → SSE event max ${Math.max(...latencies)} ms`);
    await tail.close();
  });

  it('live tail shows a record ingested after the page opened within 1 s (cluster)', async ({
    annotate,
  }) => {
    await page.goto('/web/login');
    await page.getByTestId('login-user-id').fill(ROOT.email);
    await page.getByTestId('login-password').fill(ROOT.password);
    await page.getByTestId('login-sign-in').click();
    await page.waitForURL(/\/web\/?\?org_identifier=default$/);
    const latencyMs = await liveTailSteps(page, target, 'live-tail-cluster-light');
    await annotate(`live tail, cluster UI: ingest ack → row in the DOM ${latencyMs} ms`);
    expect(problems.list).toEqual([]);
  });
});
