import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir } from '@o2/testing';
import type { TempDir } from '@o2/testing';
import { basicAuth, ROOT, rootUserEnv, startHealthyProduct } from './product-process.js';
import type { ProductProcess } from './product-process.js';
import { SHOUT, orgApi, scheduledPipeline } from './pipeline-kit.js';

const AUTH = basicAuth(ROOT.email, ROOT.password);

/**
 * Scheduled pipelines on a real single node, through its HTTP API: the alertmanager role runs
 * the pipeline's SQL over its period on its frequency, puts the rows through the VRL function
 * and stores them in the destination stream through the ingester; a disabled one never runs.
 */
describe('scheduled pipelines on a single node', () => {
  let dataDir: TempDir;
  let product: ProductProcess;

  const { api, rowsOf } = orgApi(() => product.url, AUTH);

  beforeAll(async () => {
    dataDir = await makeTempDir('scheduled-pipelines');
    product = await startHealthyProduct(
      'standalone',
      {
        ZO_DATA_DIR: `${dataDir.path}/`,
        ...rootUserEnv(),
        ZO_ALERT_MINUTE_SECONDS: '2',
        ZO_ALERT_SCHEDULE_INTERVAL: '1',
        ZO_MEM_PERSIST_INTERVAL: '3600',
        ZO_FILE_PUSH_INTERVAL: '3600',
        RUST_LOG: 'warn',
      },
      60_000,
    );
  }, 90_000);
  afterAll(async () => {
    await product?.stop();
    await dataDir?.remove();
  });

  it('runs the SQL on its schedule, transforms the rows and stores them; a disabled one does not run', async () => {
    const ingest = await api('/sched_src/_json', {
      json: [
        { msg: 'a', level: 'error', code: 1 },
        { msg: 'b', level: 'info', code: 2 },
        { msg: 'c', level: 'error', code: 3 },
      ],
    });
    expect(await ingest.json()).toEqual({
      code: 200,
      status: [{ name: 'sched_src', successful: 3, failed: 0 }],
    });
    const fn = await api('/functions', {
      json: {
        name: 'shout',
        function: SHOUT,
        params: 'row',
        numArgs: 0,
        transType: 0,
      },
    });
    expect(fn.status).toBe(200);
    for (const body of [
      scheduledPipeline('sched-on', 'sched_src', 'sched_dst', true),
      scheduledPipeline('sched-off', 'sched_src', 'sched_never', false),
    ]) {
      const created = await api('/pipelines', { json: body });
      expect([created.status, await created.json()]).toEqual([
        200,
        { code: 200, message: 'Pipeline created successfully' },
      ]);
    }

    // The first run is at the next aligned 4 s slot after the scheduler first sees the pipeline.
    const deadline = Date.now() + 30_000;
    let rows = await rowsOf('sched_dst');
    while (rows.length === 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      rows = await rowsOf('sched_dst');
    }
    // Every run reads the whole period (O2), so a row may be stored once per run so far.
    const distinct = new Map(rows.map((r) => [r['msg'], [r['msg'], r['code'], r['via']]]));
    expect([...distinct.values()]).toEqual([
      ['A', 10, 'scheduled'],
      ['C', 30, 'scheduled'],
    ]);
    // The disabled pipeline had the same time (several runs of the other) and stored nothing.
    expect(await rowsOf('sched_never')).toEqual([]);
    const list = (await (await api('/pipelines')).json()) as {
      list: Array<{ name: string; enabled: boolean }>;
    };
    expect(list.list.map((p) => [p.name, p.enabled])).toEqual([
      ['sched-off', false],
      ['sched-on', true],
    ]);
  }, 60_000);
});
