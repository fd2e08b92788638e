import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startRoleCluster } from '../cluster/role-cluster.js';
import type { RoleCluster } from '../cluster/role-cluster.js';
import { waitUntilHealthy } from '../product-process.js';
import type { ProductProcess } from '../product-process.js';
import { launchChromium, newContext, watchProblems } from './browser.js';
import type { PageProblems } from './browser.js';

/** A cluster of role processes (router, ingesters, querier) and a Chromium page on the router. */
export interface UiCluster {
  cluster: RoleCluster;
  router: ProductProcess;
  browser: Browser;
  context: BrowserContext;
  page: Page;
  problems: PageProblems;
  close(): Promise<void>;
}

/**
 * Starts the router first (it migrates the metastore and creates the root user), then
 * `ingesters` ingesters (`ingester-1` …) and one querier, then Chromium on the router's URL.
 */
export async function startUiCluster(name: string, ingesters: number): Promise<UiCluster> {
  const cluster = await startRoleCluster(name, 6);
  let browser: Browser | undefined;
  try {
    const router = (await cluster.start('router', 'router-1')).process;
    await waitUntilHealthy(router, 90_000);
    await Promise.all([
      ...Array.from({ length: ingesters }, (_, i) =>
        cluster.start('ingester', `ingester-${i + 1}`),
      ),
      cluster.start('querier', 'querier-1'),
    ]);
    browser = await launchChromium();
    const context = await newContext(browser, router.url);
    const page = await context.newPage();
    page.setDefaultTimeout(30_000);
    const problems = watchProblems(page);
    const opened = browser;
    return {
      cluster,
      router,
      browser: opened,
      context,
      page,
      problems,
      close: async () => {
        await opened.close();
        await cluster.stop();
      },
    };
  } catch (error) {
    // No caller holds the cluster yet: stop what started so no process outlives the test.
    await browser?.close();
    await cluster.stop();
    throw error;
  }
}
