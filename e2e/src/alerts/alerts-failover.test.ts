import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRequestRecorder } from '@o2/testing';
import type { RecordedRequest, RequestRecorder } from '@o2/testing';
import { waitUntilHealthy } from '../product-process.js';
import { startRoleCluster } from '../cluster/role-cluster.js';
import type { RoleCluster, RoleNode } from '../cluster/role-cluster.js';
import { electedHolderIds } from '../cluster/role-output.js';
import {
  FAST_ALERTS,
  alertHistory,
  api,
  createAlert,
  createHookDestination,
} from './alert-steps.js';
import type { HookBody } from './alert-steps.js';

const TTL_SECONDS = 2;
const bodyOf = (r: RecordedRequest) => JSON.parse(r.body.toString('utf8')) as HookBody;

// Two alertmanagers over one Postgres and NATS: the leader schedules an alert that fires every
// period (2 s) while error rows keep arriving. SIGKILL the leader: the standby takes the lease
// and fires the following periods from the schedule in the metastore; no period fires twice.
describe('cluster mode: alertmanager failover keeps alerts firing once per period', () => {
  let cluster: RoleCluster;
  let hook: RequestRecorder;
  let routerUrl = '';
  let managers: RoleNode[] = [];
  let feeding = true;
  let feeder: Promise<void> = Promise.resolve();

  beforeAll(async () => {
    hook = await startRequestRecorder();
    cluster = await startRoleCluster('alertfail', TTL_SECONDS);
    const router = await cluster.start('router', 'router-1', FAST_ALERTS);
    await cluster.start('ingester', 'ingester-1');
    await cluster.start('querier', 'querier-1');
    managers = await Promise.all([
      cluster.start('alertmanager', 'alertmanager-1', FAST_ALERTS),
      cluster.start('alertmanager', 'alertmanager-2', FAST_ALERTS),
    ]);
    await waitUntilHealthy(router.process, 60_000);
    routerUrl = router.process.url;
  }, 120_000);

  afterAll(async () => {
    feeding = false;
    await feeder;
    await cluster?.stop();
    await hook?.stop();
  }, 60_000);

  it('the standby fires the next periods after the leader is SIGKILLed, with no duplicate', async () => {
    // Ingest until an ingester is registered (503 before).
    const deadline = Date.now() + 30_000;
    while (
      (await api(routerUrl, '/api/default/orders/_json', { json: [{ level: 'info' }] })).status !==
      200
    ) {
      if (Date.now() > deadline) throw new Error('no ingester became ready');
      await new Promise((r) => setTimeout(r, 250));
    }
    await createHookDestination(routerUrl, hook.url);
    const id = await createAlert(routerUrl, {
      name: 'order_errors',
      stream_name: 'orders',
      query_condition: {
        type: 'custom',
        conditions: [{ column: 'level', operator: '=', value: 'error' }],
      },
    });
    feeder = (async () => {
      while (feeding) {
        await api(routerUrl, '/api/default/orders/_json', {
          json: [{ level: 'error', msg: 'declined' }],
        }).catch(() => undefined);
        await new Promise((r) => setTimeout(r, 300));
      }
    })();

    await hook.waitFor(() => true, 2, 20_000);
    const leader = managers.find((m) => electedHolderIds(m.process, 'alertmanager').length > 0);
    const standby = managers.find((m) => m !== leader);
    if (leader === undefined || standby === undefined) throw new Error('no alertmanager leads');
    const killedAt = Date.now();
    await leader.process.stop('SIGKILL');
    const before = hook.requests.length;
    // The lease lapses after the TTL; then the standby fires the following periods.
    await hook.waitFor(() => true, before + 3, 20_000);
    expect(Date.now() - killedAt).toBeLessThan(20_000);
    expect(electedHolderIds(standby.process, 'alertmanager').length).toBeGreaterThan(0);
    const after = hook.requests.slice(before).map((r) => bodyOf(r));
    expect(after.every((b) => b.alert === 'order_errors')).toBe(true);

    const starts = hook.requests.map((r) => bodyOf(r).start);
    expect(new Set(starts).size).toBe(starts.length);
    // A send is recorded in the history just after it leaves, and the alert keeps firing while
    // we read: take the periods the hook had received by now and wait until the history holds
    // them. The killed leader may have sent one period it never got to record: at most that one
    // may be missing. (Comparing counts raced: the send in flight while the history was read is
    // one more missing.)
    const sentStarts = starts.slice();
    const periodStart = (h: { start_time: number }) =>
      new Date(Math.floor(h.start_time / 1000)).toISOString();
    let firing: Awaited<ReturnType<typeof alertHistory>> = [];
    let unrecorded: string[] = [];
    const historyDeadline = Date.now() + 10_000;
    do {
      firing = (await alertHistory(routerUrl, id)).filter((h) => h.status === 'firing');
      const recorded = new Set(firing.map(periodStart));
      unrecorded = sentStarts.filter((s) => !recorded.has(s));
      if (unrecorded.length <= 1) break;
      await new Promise((r) => setTimeout(r, 200));
    } while (Date.now() < historyDeadline);
    expect(
      unrecorded.length,
      `periods sent but never recorded: ${unrecorded.join(', ')}`,
    ).toBeLessThanOrEqual(1);
    expect(firing.length).toBeLessThanOrEqual(hook.requests.length);
    expect(new Set(firing.map((h) => h.start_time)).size).toBe(firing.length);
    expect(new Set(firing.map((h) => h.source_node)).size).toBe(2);
  }, 60_000);
});
