import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitForPort } from '@o2/testing';
import { basicAuth, waitUntilHealthy } from '../product-process.js';
import { SHOUT, orgApi, scheduledPipeline } from '../pipeline-kit.js';
import { ROLE_CLUSTER_ROOT, startRoleCluster } from './role-cluster.js';
import type { RoleCluster, RoleNode } from './role-cluster.js';
import { electedHolderIds, pollUntil } from './role-output.js';

const AUTH = basicAuth(ROLE_CLUSTER_ROOT.email, ROLE_CLUSTER_ROOT.password);
const GENEROUS_MS = 90_000;

/**
 * Scheduled pipelines in cluster mode: the alertmanager process queries the querier over gRPC
 * and stores the pipeline's output on the ingester over gRPC (`clusterIngest`).
 */
describe('cluster mode: scheduled pipelines run in the alertmanager role', () => {
  let cluster: RoleCluster;
  let router: RoleNode;
  let nodes: RoleNode[] = [];

  const { api, rowsOf } = orgApi(() => router.process.url, AUTH);
  const output = () => nodes.map((n) => `--- ${n.name}\n${n.process.output()}`).join('\n');

  beforeAll(async () => {
    cluster = await startRoleCluster('schedpipe', 6);
    router = await cluster.start('router', 'router-1');
    await waitUntilHealthy(router.process, GENEROUS_MS);
    const fast = { ZO_ALERT_MINUTE_SECONDS: '2', ZO_ALERT_SCHEDULE_INTERVAL: '1' };
    const workers = await Promise.all([
      cluster.start('ingester', 'ingester-1'),
      cluster.start('querier', 'querier-1'),
    ]);
    const alertmanager = await cluster.start('alertmanager', 'alertmanager-1', fast);
    nodes = [router, ...workers, alertmanager];
    await Promise.all(workers.map((w) => waitForPort(w.grpcPort, GENEROUS_MS)));
    const elected = await pollUntil(
      () => electedHolderIds(alertmanager.process, 'alertmanager').length > 0,
      GENEROUS_MS,
    );
    if (!elected) throw new Error(`no alertmanager was elected:\n${output()}`);
  }, 240_000);

  afterAll(async () => {
    await cluster?.stop();
  }, 120_000);

  it('stores the transformed rows of the SQL in the destination; a disabled one does not run', async () => {
    let acked = 0;
    // The router may not have found the ingester yet: retry until the rows are acknowledged.
    const deadlineIngest = Date.now() + 60_000;
    while (acked !== 3 && Date.now() < deadlineIngest) {
      const ingest = await api('/sched_src/_json', {
        json: [
          { msg: 'a', level: 'error', code: 1 },
          { msg: 'b', level: 'info', code: 2 },
          { msg: 'c', level: 'error', code: 3 },
        ],
      });
      if (ingest.status === 200)
        acked = ((await ingest.json()) as { status: Array<{ successful: number }> }).status[0]
          ?.successful as number;
      else await new Promise((resolve) => setTimeout(resolve, 500));
    }
    expect(acked).toBe(3);
    const fn = await api('/functions', {
      json: { name: 'shout', function: SHOUT, params: 'row', numArgs: 0, transType: 0 },
    });
    expect(fn.status).toBe(200);
    for (const body of [
      scheduledPipeline('sched-on', 'sched_src', 'sched_dst', true),
      scheduledPipeline('sched-off', 'sched_src', 'sched_never', false),
    ])
      expect((await api('/pipelines', { json: body })).status).toBe(200);

    const deadline = Date.now() + 60_000;
    let rows = await rowsOf('sched_dst');
    while (rows.length === 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 1000));
      rows = await rowsOf('sched_dst');
    }
    const distinct = new Map(rows.map((r) => [r['msg'], [r['msg'], r['code'], r['via']]]));
    expect([...distinct.values()], output()).toEqual([
      ['A', 10, 'scheduled'],
      ['C', 30, 'scheduled'],
    ]);
    expect(await rowsOf('sched_never')).toEqual([]);
  }, 150_000);
});
