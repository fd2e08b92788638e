import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Campaign, Cluster, ClusterEvent, NodeEvent, NodeInfo } from './cluster.js';

/** Short enough for quick tests; every wait below allows many multiples of it. */
const NODE_TTL_MS = 1_500;
const LEASE_TTL_MS = 1_500;
/** Generous: a loaded 2-core machine may run timers late; nothing here measures durations. */
const WAIT = { timeout: 20_000, interval: 25 };

export interface ClusterContractBackend {
  /** A new client of the same shared state: a new connection for NATS, a new instance on one hub for memory. */
  connect(): Promise<Cluster>;
}

export type ClusterContractFactory = (options: {
  nodeTtlMs: number;
}) => Promise<ClusterContractBackend>;

function node(id: string, roles: NodeInfo['roles']): NodeInfo {
  return {
    id,
    name: `node-${id}`,
    roles,
    httpAddr: `http://${id}:5080`,
    grpcAddr: `${id}:5081`,
    startedAt: 1_700_000_000_000,
  };
}

/**
 * One suite for every `Cluster` implementation. Each test gets fresh shared state from the
 * factory and as many clients ("processes") as it needs; a client that is closed without
 * deregistering or resigning stands in for a crashed process.
 */
export function describeClusterContract(name: string, factory: ClusterContractFactory): void {
  describe(`${name} cluster contract`, () => {
    let backend: ClusterContractBackend;
    const clients: Cluster[] = [];
    const connect = async (): Promise<Cluster> => {
      const client = await backend.connect();
      clients.push(client);
      return client;
    };

    beforeEach(async () => {
      backend = await factory({ nodeTtlMs: NODE_TTL_MS });
    });
    afterEach(async () => {
      await Promise.all(clients.splice(0).map((c) => c.close()));
    });

    describe('nodes', () => {
      it('lists registered nodes by role and forgets deregistered ones', async () => {
        const a = await connect();
        const b = await connect();
        const ingester = await a.nodes.register(node('i1', ['ingester']));
        await b.nodes.register(node('q1', ['querier', 'router']));

        const all = await b.nodes.list();
        expect(all.map((n) => n.id)).toEqual(['i1', 'q1']);
        expect(all[0]).toMatchObject(node('i1', ['ingester']));
        expect((await a.nodes.list('router')).map((n) => n.id)).toEqual(['q1']);
        expect((await a.nodes.list('ingester')).map((n) => n.id)).toEqual(['i1']);
        expect(await a.nodes.list('compactor')).toEqual([]);

        await ingester.deregister();
        expect((await b.nodes.list()).map((n) => n.id)).toEqual(['q1']);
      });

      it('answers from a listing at most maxAgeMs old, else from the store', async () => {
        const a = await connect();
        const b = await connect();
        await a.nodes.register(node('q1', ['querier']));
        expect((await b.nodes.list('querier')).map((n) => n.id)).toEqual(['q1']);
        await a.nodes.register(node('q2', ['querier']));
        await a.nodes.register(node('i1', ['ingester']));
        // The kept listing still answers for queriers; none of a role in it asks the store.
        const kept = await b.nodes.list('querier', { maxAgeMs: 60_000 });
        expect(kept.map((n) => n.id)).toEqual(['q1']);
        const ingesters = await b.nodes.list('ingester', { maxAgeMs: 60_000 });
        expect(ingesters.map((n) => n.id)).toEqual(['i1']);
        expect((await b.nodes.list('querier')).map((n) => n.id)).toEqual(['q1', 'q2']);
      });

      it('reports current nodes as joined, then joins and deregistrations', async () => {
        const a = await connect();
        const b = await connect();
        await a.nodes.register(node('r1', ['router']));
        const events: string[] = [];
        const watch = await b.nodes.watch((e: NodeEvent) => events.push(`${e.type}:${e.node.id}`));
        await expect.poll(() => events, WAIT).toEqual(['joined:r1']);

        const c1 = await a.nodes.register(node('c1', ['compactor']));
        await expect.poll(() => events, WAIT).toEqual(['joined:r1', 'joined:c1']);
        await c1.deregister();
        await expect.poll(() => events, WAIT).toEqual(['joined:r1', 'joined:c1', 'left:c1']);

        await watch.unsubscribe();
        await a.nodes.register(node('c2', ['compactor']));
        const other: string[] = [];
        const second = await b.nodes.watch((e) => other.push(`${e.type}:${e.node.id}`));
        await expect.poll(() => other.sort(), WAIT).toEqual(['joined:c2', 'joined:r1']);
        await second.unsubscribe();
        expect(events).toEqual(['joined:r1', 'joined:c1', 'left:c1']);
      });

      it('drops a node that stops heartbeating within its TTL and tells watchers', async () => {
        const observer = await connect();
        const survivor = await observer.nodes.register(node('alive', ['querier']));
        const registeredAt = Date.now();
        const events: string[] = [];
        await observer.nodes.watch((e) => events.push(`${e.type}:${e.node.id}`));

        const crashing = await connect();
        await crashing.nodes.register(node('doomed', ['ingester']));
        await expect.poll(() => events, WAIT).toContain('joined:doomed');
        await crashing.close();

        await expect.poll(() => events, WAIT).toContain('left:doomed');
        expect((await observer.nodes.list()).map((n) => n.id)).toEqual(['alive']);
        // The survivor has outlived its TTL by now and is still there: heartbeats keep it alive.
        await expect.poll(() => Date.now() - registeredAt > NODE_TTL_MS, WAIT).toBe(true);
        expect((await observer.nodes.list()).map((n) => n.id)).toEqual(['alive']);
        expect(events).not.toContain('left:alive');
        await survivor.deregister();
      });
    });

    describe('leases', () => {
      const campaignOn = (client: Cluster, holderId: string, log: string[]): Campaign =>
        client.leases.campaign('compactor', holderId, {
          ttlMs: LEASE_TTL_MS,
          retryMs: 100,
          onElected: () => {
            log.push(`elected:${holderId}`);
          },
          onLost: () => {
            log.push(`lost:${holderId}`);
          },
        });

      const leaderOf = (campaigns: Campaign[]): Campaign | undefined => {
        const leaders = campaigns.filter((c) => c.isLeader());
        expect(leaders.length).toBeLessThanOrEqual(1);
        return leaders[0];
      };

      it('elects exactly one holder among several campaigners', async () => {
        const log: string[] = [];
        const campaigns: Campaign[] = [];
        for (const id of ['h1', 'h2', 'h3']) campaigns.push(campaignOn(await connect(), id, log));
        await expect.poll(() => leaderOf(campaigns) !== undefined, WAIT).toBe(true);
        const leader = leaderOf(campaigns);

        // Over several renewal periods nobody else gets elected and the holder stays the same.
        const observer = await connect();
        const until = Date.now() + LEASE_TTL_MS;
        while (Date.now() < until) {
          expect(leaderOf(campaigns)).toBe(leader);
          expect((await observer.leases.holder('compactor'))?.holderId).toBe(leader?.holderId);
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
        expect(log).toEqual([`elected:${leader?.holderId}`]);
        await Promise.all(campaigns.map((c) => c.resign()));
        expect(await observer.leases.holder('compactor')).toBeUndefined();
      });

      it('hands the lease over when the holder resigns', async () => {
        const log: string[] = [];
        const campaigns = [
          campaignOn(await connect(), 'h1', log),
          campaignOn(await connect(), 'h2', log),
        ];
        await expect.poll(() => leaderOf(campaigns) !== undefined, WAIT).toBe(true);
        const first = leaderOf(campaigns);
        const second = campaigns.find((c) => c !== first);
        await first?.resign();

        await expect.poll(() => second?.isLeader(), WAIT).toBe(true);
        expect(first?.isLeader()).toBe(false);
        const holder = await (await connect()).leases.holder('compactor');
        expect(holder?.holderId).toBe(second?.holderId);
        expect(log).toEqual([`elected:${first?.holderId}`, `elected:${second?.holderId}`]);
        await second?.resign();
      });

      it('hands the lease over when the holder stops renewing without resigning', async () => {
        const log: string[] = [];
        const a = await connect();
        const b = await connect();
        const campaigns = [campaignOn(a, 'ha', log), campaignOn(b, 'hb', log)];
        await expect.poll(() => leaderOf(campaigns) !== undefined, WAIT).toBe(true);
        const crashed = campaigns[0]?.isLeader() ? a : b;
        const survivor = campaigns[0]?.isLeader() ? campaigns[1] : campaigns[0];

        await crashed.close();
        await expect.poll(() => survivor?.isLeader(), WAIT).toBe(true);
        const holder = await (await connect()).leases.holder('compactor');
        expect(holder?.holderId).toBe(survivor?.holderId);
        await survivor?.resign();
      });

      it('keeps leases of different names independent', async () => {
        const client = await connect();
        const compactor = client.leases.campaign('compactor', 'x', { ttlMs: LEASE_TTL_MS });
        const alerts = client.leases.campaign('alertmanager', 'x', { ttlMs: LEASE_TTL_MS });
        await expect.poll(() => compactor.isLeader() && alerts.isLeader(), WAIT).toBe(true);
        await compactor.resign();
        expect(await client.leases.holder('compactor')).toBeUndefined();
        expect((await client.leases.holder('alertmanager'))?.holderId).toBe('x');
        await alerts.resign();
      });
    });

    describe('events', () => {
      it('delivers events to live subscribers in order, only for their topic', async () => {
        const publisher = await connect();
        const subscriber = await connect();
        const got: unknown[] = [];
        const other: unknown[] = [];
        const sub = await subscriber.events.subscribe('file_list.added', (e) => {
          got.push(e.payload);
        });
        await subscriber.events.subscribe('schema.changed', (e) => {
          other.push(e.payload);
        });
        for (let i = 1; i <= 5; i++)
          await publisher.events.publish('file_list.added', { i, key: `f${i}` });
        await publisher.events.publish('schema.changed', { stream: 'default' });

        await expect.poll(() => got.length, WAIT).toBe(5);
        expect(got).toEqual([1, 2, 3, 4, 5].map((i) => ({ i, key: `f${i}` })));
        await expect.poll(() => other, WAIT).toEqual([{ stream: 'default' }]);

        // After unsubscribing nothing more arrives (checked once a later subscriber has it).
        await sub.unsubscribe();
        const later: unknown[] = [];
        await subscriber.events.subscribe('file_list.added', (e) => {
          later.push(e.payload);
        });
        await publisher.events.publish('file_list.added', { i: 6 });
        await expect.poll(() => later, WAIT).toEqual([{ i: 6 }]);
        expect(got).toHaveLength(5);
      });

      it('gives a durable consumer the events published while it was away, in order', async () => {
        const publisher = await connect();
        await publisher.events.publish('alerts.fired', { n: 0 }); // before the durable exists
        const first = await connect();
        const got: unknown[] = [];
        const handler = (e: ClusterEvent): void => {
          got.push(e.payload);
        };
        const sub = await first.events.subscribe('alerts.fired', handler, { durable: 'notifier' });
        for (let n = 1; n <= 3; n++) await publisher.events.publish('alerts.fired', { n });
        await expect.poll(() => got.length, WAIT).toBe(3);
        await sub.unsubscribe();

        for (let n = 4; n <= 8; n++) await publisher.events.publish('alerts.fired', { n });
        // A different process picks up where the first left off.
        const second = await connect();
        await second.events.subscribe('alerts.fired', handler, { durable: 'notifier' });
        await expect.poll(() => got.length, WAIT).toBe(8);
        expect(got).toEqual([1, 2, 3, 4, 5, 6, 7, 8].map((n) => ({ n })));
      });

      it('redelivers an event whose handler throws, before the events after it', async () => {
        const client = await connect();
        const handled: number[] = [];
        let failuresLeft = 2;
        await client.events.subscribe(
          'jobs.run',
          (e) => {
            const { n } = e.payload as { n: number };
            if (n === 2 && failuresLeft > 0) {
              failuresLeft -= 1;
              throw new Error('transient failure');
            }
            handled.push(n);
          },
          { durable: 'runner' },
        );
        for (let n = 1; n <= 4; n++) await client.events.publish('jobs.run', { n });
        await expect.poll(() => handled, WAIT).toEqual([1, 2, 3, 4]);
        expect(failuresLeft).toBe(0);
      });

      it('does not redeliver events whose async handler resolved', async () => {
        const client = await connect();
        const handled: number[] = [];
        const sub = await client.events.subscribe(
          'jobs.slow',
          async (e) => {
            await new Promise((resolve) => setTimeout(resolve, 20));
            handled.push((e.payload as { n: number }).n);
          },
          { durable: 'slow' },
        );
        for (let n = 1; n <= 3; n++) await client.events.publish('jobs.slow', { n });
        await expect.poll(() => handled, WAIT).toEqual([1, 2, 3]);
        await sub.unsubscribe();
        const again: number[] = [];
        await client.events.subscribe(
          'jobs.slow',
          (e) => void again.push((e.payload as { n: number }).n),
          {
            durable: 'slow',
          },
        );
        await client.events.publish('jobs.slow', { n: 4 });
        await expect.poll(() => again, WAIT).toEqual([4]);
      });

      it('rejects bad topics, durable names and payloads as INVALID_ARGUMENT', async () => {
        const client = await connect();
        await expect(client.events.publish('has space', {})).rejects.toMatchObject({
          code: 'INVALID_ARGUMENT',
        });
        await expect(client.events.publish('a..b', {})).rejects.toMatchObject({
          code: 'INVALID_ARGUMENT',
        });
        await expect(client.events.publish('ok', undefined)).rejects.toMatchObject({
          code: 'INVALID_ARGUMENT',
        });
        await expect(
          client.events.subscribe('ok', () => undefined, { durable: 'no.dots' }),
        ).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
      });
    });

    describe('kv', () => {
      it('round-trips values and lists keys by prefix across clients', async () => {
        const a = await connect();
        const b = await connect();
        expect(await a.kv.get('settings/org1')).toBeUndefined();
        await a.kv.put('settings/org1', '{"a":1}');
        await a.kv.put('settings/org2', 'two');
        await a.kv.put('cursor.compactor', '42');
        await a.kv.put('odd key: ünïcode=*>', 'still fine');

        expect(await b.kv.get('settings/org1')).toBe('{"a":1}');
        expect(await b.kv.get('odd key: ünïcode=*>')).toBe('still fine');
        expect(await b.kv.keys('settings/')).toEqual(['settings/org1', 'settings/org2']);
        expect(await b.kv.keys()).toEqual([
          'cursor.compactor',
          'odd key: ünïcode=*>',
          'settings/org1',
          'settings/org2',
        ]);

        await b.kv.put('settings/org2', 'changed');
        expect(await a.kv.get('settings/org2')).toBe('changed');
        await b.kv.delete('settings/org1');
        expect(await a.kv.get('settings/org1')).toBeUndefined();
        expect(await a.kv.keys('settings')).toEqual(['settings/org2']);
        await expect(a.kv.put('', 'x')).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
      });
    });

    describe('several clients', () => {
      it("see each other's nodes, leases and events", async () => {
        const a = await connect();
        const b = await connect();
        await a.nodes.register(node('n-a', ['router']));
        await b.nodes.register(node('n-b', ['ingester']));
        expect((await a.nodes.list()).map((n) => n.id)).toEqual(['n-a', 'n-b']);
        expect((await b.nodes.list()).map((n) => n.id)).toEqual(['n-a', 'n-b']);

        const campaign = a.leases.campaign('querier-leader', 'n-a', { ttlMs: LEASE_TTL_MS });
        await expect
          .poll(async () => (await b.leases.holder('querier-leader'))?.holderId, WAIT)
          .toBe('n-a');
        await campaign.resign();

        const atA: unknown[] = [];
        await a.events.subscribe('ping', (e) => void atA.push(e.payload));
        await b.events.publish('ping', 'from b');
        await expect.poll(() => atA, WAIT).toEqual(['from b']);
      });

      it('refuses work after close', async () => {
        const a = await connect();
        await a.close();
        await expect(a.nodes.list()).rejects.toMatchObject({ code: 'UNAVAILABLE' });
        expect(() => a.leases.campaign('x', 'y', { ttlMs: LEASE_TTL_MS })).toThrow(/closed/);
      });
    });
  });
}
