import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRoleCluster } from './role-cluster.js';
import type { RoleCluster, RoleNode } from './role-cluster.js';
import { electedHolderIds, pollUntil, stopWithin } from './role-output.js';

/** Heartbeat and lease TTL, small so a crashed leader's lease lapses quickly. */
const TTL_SECONDS = 2;
/** A liveness bound for a loaded machine, far above the TTL; the takeover time is only logged. */
const GENEROUS_MS = 30_000;

// Two instances of a singleton role compete for its lease: exactly one is elected, and the other
// takes over when the leader dies (after the TTL) or shuts down (at once, it resigns).
describe('cluster mode: compactor and alertmanager leader failover', () => {
  let cluster: RoleCluster;

  beforeAll(async () => {
    cluster = await startRoleCluster('failover', TTL_SECONDS);
  }, 120_000);

  afterAll(async () => {
    await cluster?.stop();
  }, 60_000);

  /** Starts two instances and resolves with [leader, standby] once one of them was elected. */
  let started = 0;
  const electOne = async (service: string) => {
    const nodes = await Promise.all([
      cluster.start(service, `${service}-${++started}`),
      cluster.start(service, `${service}-${++started}`),
    ]);
    const elected = () => nodes.filter((n) => electedHolderIds(n.process, service).length > 0);
    const found = await pollUntil(() => elected().length > 0, GENEROUS_MS);
    if (!found) throw new Error(`no ${service} was elected:\n${output(nodes)}`);
    const [leader] = elected();
    const standby = nodes.find((n) => n !== leader);
    if (leader === undefined || standby === undefined) throw new Error('two nodes expected');
    // One lease, one holder: the standby campaigns on but is not elected while the leader lives.
    expect(electedHolderIds(standby.process, service)).toEqual([]);
    return { leader, standby };
  };

  const takeOver = async (service: string, signal: NodeJS.Signals) => {
    const { leader, standby } = await electOne(service);
    const [leaderId] = electedHolderIds(leader.process, service);
    const stoppedAt = Date.now();
    const exit = await stopWithin(leader.process, GENEROUS_MS, signal);
    const tookOver = await pollUntil(
      () => electedHolderIds(standby.process, service).length > 0,
      GENEROUS_MS,
    );
    const waitedMs = Date.now() - stoppedAt;
    if (!tookOver) throw new Error(`the standby never took over:\n${output([leader, standby])}`);
    const [survivorId] = electedHolderIds(standby.process, service);
    expect(survivorId).toBeDefined();
    expect(survivorId).not.toBe(leaderId);
    return { exit, waitedMs };
  };

  it('a standby compactor takes the lease after the leader is SIGKILLed', async ({ annotate }) => {
    const { exit, waitedMs } = await takeOver('compactor', 'SIGKILL');
    expect(exit).toBe('SIGKILL');
    await annotate(`compactor takeover after SIGKILL: ${waitedMs} ms (TTL ${TTL_SECONDS} s)`);
  }, 90_000);

  it('a standby alertmanager takes the lease after the leader is SIGKILLed', async ({
    annotate,
  }) => {
    const { exit, waitedMs } = await takeOver('alertmanager', 'SIGKILL');
    expect(exit).toBe('SIGKILL');
    await annotate(`alertmanager takeover after SIGKILL: ${waitedMs} ms (TTL ${TTL_SECONDS} s)`);
  }, 90_000);

  it('a leader stopped with SIGTERM exits 0 and resigns to the standby', async ({ annotate }) => {
    // Fresh instances: the earlier survivors hold the leases, so stop them first.
    await cluster.stopNodes();
    for (const service of ['compactor', 'alertmanager']) {
      const { exit, waitedMs } = await takeOver(service, 'SIGTERM');
      expect(exit).toBe(0);
      await annotate(`${service} handover after SIGTERM: ${waitedMs} ms`);
    }
  }, 90_000);
});

function output(nodes: RoleNode[]): string {
  return nodes.map((n) => `--- ${n.name}\n${n.process.output()}`).join('\n');
}
