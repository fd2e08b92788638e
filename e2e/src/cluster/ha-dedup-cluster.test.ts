import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeRemoteWrite } from '@o2/prom-remote-write';
import { waitForPort } from '@o2/testing';
import { basicAuth, waitUntilHealthy } from '../product-process.js';
import { ROLE_CLUSTER_ROOT, startRoleCluster } from './role-cluster.js';
import type { RoleCluster, RoleNode } from './role-cluster.js';
import { pollUntil } from './role-output.js';

const LOADED_BOX_MS = 60_000;
const AUTH = basicAuth(ROLE_CLUSTER_ROOT.email, ROLE_CLUSTER_ROOT.password);
const ELECTION_INTERVAL_S = 3;
/** Sample i is at BASE + i s with value 10·i + replica number, so a stored value names its send. */
const BASE_MS = Math.floor((Date.now() - 5 * 60_000) / 1000) * 1000;

// A router spreads remote-write requests over the ingesters in turn, so each replica of an HA
// pair reaches both ingesters. With per-process election, an ingester that first heard from r2
// kept r2's samples while the other kept r1's; the election now lives in the metastore.
describe('cluster mode: HA dedup of remote write is one election across ingesters', () => {
  let cluster: RoleCluster;
  let router: RoleNode;
  let sent = 0;

  /** One remote write from `replica` of cluster c1; returns the send's index. */
  const send = async (replica: 1 | 2): Promise<number> => {
    const index = sent++;
    const body = encodeRemoteWrite([
      {
        labels: { __name__: 'ha_up', cluster: 'c1', __replica__: `r${replica}` },
        samples: [{ value: 10 * index + replica, timestampMs: BASE_MS + index * 1000 }],
      },
    ]);
    const response = await fetch(`${router.process.url}/api/default/prometheus/api/v1/write`, {
      method: 'POST',
      headers: {
        authorization: AUTH,
        'content-type': 'application/x-protobuf',
        'content-encoding': 'snappy',
      },
      body,
    });
    expect(response.status).toBe(204);
    return index;
  };

  /** Every stored sample of ha_up as [send index, replica], and the series' labels. */
  const stored = async () => {
    const response = await fetch(`${router.process.url}/api/default/prometheus/api/v1/query`, {
      method: 'POST',
      headers: { authorization: AUTH, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        query: 'ha_up[1h]',
        time: String((BASE_MS + 600_000) / 1000),
      }).toString(),
    });
    expect(response.status).toBe(200);
    const answer = (await response.json()) as {
      data: { result: Array<{ metric: Record<string, string>; values: Array<[number, string]> }> };
    };
    return {
      series: answer.data.result.map((r) => r.metric),
      samples: answer.data.result.flatMap((r) =>
        r.values.map(([, v]) => [Math.floor(Number(v) / 10), Number(v) % 10]),
      ),
    };
  };

  beforeAll(async () => {
    cluster = await startRoleCluster('ha-dedup-cluster', 30);
    router = await cluster.start('router', 'router-1');
    await waitUntilHealthy(router.process, LOADED_BOX_MS);
    const env = { ZO_METRICS_LEADER_ELECTION_INTERVAL: String(ELECTION_INTERVAL_S) };
    const workers = await Promise.all([
      cluster.start('ingester', 'ingester-1', env),
      cluster.start('ingester', 'ingester-2', env),
      cluster.start('querier', 'querier-1'),
    ]);
    await Promise.all(workers.map((n) => waitForPort(n.grpcPort, LOADED_BOX_MS)));
    const started = (n: RoleNode) => n.process.output().includes('"msg":"started"');
    if (!(await pollUntil(() => workers.every(started), LOADED_BOX_MS)))
      throw new Error('not every node started');
    // Ingesters register once started; the router lists the live ones on every request.
  }, 180_000);

  afterAll(async () => {
    await cluster?.stop();
  }, 60_000);

  it('keeps one replica across both ingesters, and fails over after the interval of silence', async () => {
    // Alternating so each replica reaches each ingester of the rotation.
    const kept: number[] = [];
    for (const replica of [1, 2, 2, 1, 1, 2, 2, 1] as const) {
      const index = await send(replica);
      if (replica === 1) kept.push(index);
    }
    // r2 right after r1's last write: r1 still leads.
    await send(2);

    // r1 falls silent for longer than the interval: r2 takes over, on either ingester.
    await new Promise((r) => setTimeout(r, ELECTION_INTERVAL_S * 1000 + 1_500));
    kept.push(await send(2));
    await send(1); // the old leader is now the follower
    kept.push(await send(2));
    await send(1);

    // The querier reads both ingesters' hot rows; wait until every kept sample is there.
    const deadline = Date.now() + LOADED_BOX_MS;
    let result = await stored();
    while (result.samples.length < kept.length && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 200));
      result = await stored();
    }
    expect(result.series).toEqual([{ __name__: 'ha_up', cluster: 'c1' }]);
    expect(result.samples.sort((a, b) => (a[0] ?? 0) - (b[0] ?? 0))).toEqual(
      kept.map((index) => [index, index < 9 ? 1 : 2]),
    );
  }, 120_000);
});
