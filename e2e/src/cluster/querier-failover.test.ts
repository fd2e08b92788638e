import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitForPort } from '@o2/testing';
import { basicAuth, waitUntilHealthy } from '../product-process.js';
import { ROLE_CLUSTER_ROOT, startRoleCluster } from './role-cluster.js';
import type { RoleCluster, RoleNode } from './role-cluster.js';
import { pollUntil } from './role-output.js';

/**
 * The default heartbeat TTL: a SIGKILLed querier stays registered for the whole test, so the
 * router keeps choosing it and has to move its queries on to the survivor.
 */
const TTL_SECONDS = 30;
const LOADED_BOX_MS = 60_000;
const STREAM = 'querier_failover';
const RECORDS = Array.from({ length: 300 }, (_, i) => ({ seq: i, log: `line ${i}` }));
const QUERIES_AFTER_KILL = 6;

// Router, one ingester and two queriers as separate processes; a querier dies without warning
// and the next queries, sent at once, are all answered by the one left.
describe('cluster mode: searches survive a SIGKILLed querier', () => {
  let cluster: RoleCluster;
  let router: RoleNode;
  let queriers: RoleNode[];
  const startedAt = Date.now();

  const api = async (path: string, body: unknown) => {
    const response = await fetch(`${router.process.url}${path}`, {
      method: 'POST',
      headers: {
        authorization: basicAuth(ROLE_CLUSTER_ROOT.email, ROLE_CLUSTER_ROOT.password),
        'content-type': 'application/json',
      },
      body: JSON.stringify(body),
    });
    return { status: response.status, text: await response.text() };
  };
  const countQuery = () =>
    api('/api/default/_search', {
      query: {
        sql: `SELECT count(*) AS n FROM "${STREAM}"`,
        start_time: (startedAt - 3_600_000) * 1000,
        end_time: (Date.now() + 3_600_000) * 1000,
      },
    });
  /** One search, no resend: its HTTP status and the count it found. */
  const count = async () => {
    const answer = await countQuery();
    if (answer.status !== 200) return { status: answer.status, text: answer.text };
    const n = Number((JSON.parse(answer.text) as { hits: Array<{ n: unknown }> }).hits[0]?.n);
    return { status: answer.status, n };
  };

  beforeAll(async () => {
    cluster = await startRoleCluster('querier-failover', TTL_SECONDS);
    // The router first: it migrates the metastore and creates the root user.
    router = await cluster.start('router', 'router-1');
    await waitUntilHealthy(router.process, LOADED_BOX_MS);
    const workers = await Promise.all([
      cluster.start('ingester', 'ingester-1'),
      cluster.start('querier', 'querier-1'),
      cluster.start('querier', 'querier-2'),
    ]);
    queriers = workers.slice(1);
    await Promise.all(workers.map((n) => waitForPort(n.grpcPort, LOADED_BOX_MS)));
    // A process logs `started` once every part, its registry membership included, is up: from
    // then on the router finds both queriers.
    const started = (n: RoleNode) => n.process.output().includes('"msg":"started"');
    if (!(await pollUntil(() => workers.every(started), LOADED_BOX_MS)))
      throw new Error(`not every node started:\n${output(workers)}`);
  }, 180_000);

  afterAll(async () => {
    await cluster?.stop();
  }, 60_000);

  it('counts the ingested records through both queriers', async () => {
    const ack = await api(`/api/default/${STREAM}/_json`, RECORDS);
    expect(ack.text).toBe(
      `{"code":200,"status":[{"name":"${STREAM}","successful":${RECORDS.length},"failed":0}]}`,
    );
    // Round robin: two searches in a row go to one querier each.
    expect([await count(), await count()]).toEqual([
      { status: 200, n: RECORDS.length },
      { status: 200, n: RECORDS.length },
    ]);
  }, 60_000);

  it('answers every query right after a querier is SIGKILLed, with the right count', async () => {
    const [victim] = queriers;
    if (victim === undefined) throw new Error('no querier to kill');
    expect(await victim.process.stop('SIGKILL')).toBe('SIGKILL');

    // At once, not after the TTL: the dead querier is still registered, so round robin picks it
    // for every other query and the router must move that query on.
    const answers = [];
    for (let i = 0; i < QUERIES_AFTER_KILL; i++) answers.push(await count());
    expect(answers).toEqual(
      Array.from({ length: QUERIES_AFTER_KILL }, () => ({ status: 200, n: RECORDS.length })),
    );
    // The failover path was taken (not a registry that had already dropped the dead querier).
    expect(router.process.output()).toContain('querier unavailable, trying the next');
  }, 60_000);
});

function output(nodes: RoleNode[]): string {
  return nodes.map((n) => `--- ${n.name}\n${n.process.output()}`).join('\n');
}
