import { startNatsServer } from '@o2/testing';
import type { NatsServerHandle } from '@o2/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectNatsCluster } from './nats-cluster.js';
import type { NatsCluster } from './nats-cluster.js';

const WAIT = { timeout: 30_000, interval: 100 };
const TTL_MS = 3_000;

const node = (id: string) => ({
  id,
  name: id,
  roles: ['ingester' as const],
  httpAddr: `${id}:5080`,
  grpcAddr: `${id}:5081`,
  startedAt: Date.now(),
});

// A real nats-server stopped and started again on the same port and JetStream store while two
// clients (two "processes") use it: the clients reconnect by themselves and every part resumes.
describe('NatsCluster across a NATS restart', () => {
  let server: NatsServerHandle;
  let a: NatsCluster;
  let b: NatsCluster;

  beforeAll(async () => {
    server = await startNatsServer();
    [a, b] = await Promise.all([
      connectNatsCluster({ servers: server.url, nodeTtlMs: TTL_MS }),
      connectNatsCluster({ servers: server.url, nodeTtlMs: TTL_MS }),
    ]);
  });
  afterAll(async () => {
    await Promise.all([a?.close(), b?.close()]);
    await server?.stop();
  });

  it('re-registers nodes, re-elects the holder, resumes live and durable events, keeps the kv', async () => {
    await a.nodes.register(node('ingester-a'));
    const log: string[] = [];
    const campaign = a.leases.campaign('compactor', 'a', {
      ttlMs: TTL_MS,
      onElected: () => void log.push('elected'),
      onLost: () => void log.push('lost'),
    });
    const live: unknown[] = [];
    const durable: unknown[] = [];
    await b.events.subscribe('live', (e) => void live.push(e.payload));
    await b.events.subscribe('work', (e) => void durable.push(e.payload), { durable: 'b' });
    await a.kv.put('setting', 'kept');
    await expect.poll(() => campaign.isLeader(), WAIT).toBe(true);
    await expect
      .poll(async () => (await b.nodes.list()).map((n) => n.id), WAIT)
      .toEqual(['ingester-a']);

    await server.halt();
    // Longer than the TTL: the heartbeat and the lease both lapse while NATS is away.
    await new Promise((resolve) => setTimeout(resolve, TTL_MS + 1_000));
    // The registry answers from its last listing, judged by the clock: the node is stale now.
    expect(await b.nodes.list()).toEqual([]);
    expect(campaign.isLeader()).toBe(false);
    await server.start();

    await expect
      .poll(async () => (await b.nodes.list()).map((n) => n.id), WAIT)
      .toEqual(['ingester-a']);
    await expect.poll(() => campaign.isLeader(), WAIT).toBe(true);
    expect(log).toEqual(['elected', 'lost', 'elected']);
    expect(await b.kv.get('setting')).toBe('kept');
    // Core subscriptions are re-sent on reconnect; the durable consumer lives in the store.
    await expect
      .poll(async () => {
        await a.events.publish('live', 'after');
        return live.includes('after');
      }, WAIT)
      .toBe(true);
    await a.events.publish('work', 'job-1');
    await expect.poll(() => durable, WAIT).toEqual(['job-1']);
  }, 90_000);
});
