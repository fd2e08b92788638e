import { loadConfig } from '@o2/config';
import { freePort, startNatsServer } from '@o2/testing';
import type { NatsServerHandle } from '@o2/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeClusterContract } from './cluster.contract.js';
import { createCluster } from './create-cluster.js';
import { connectNatsCluster } from './nats-cluster.js';

let server: NatsServerHandle;
let nextPrefix = 0;
const uniquePrefix = (): string => `t${++nextPrefix}_`;
const WAIT = { timeout: 20_000, interval: 25 };

beforeAll(async () => {
  server = await startNatsServer();
});
afterAll(async () => {
  await server.stop();
});

describeClusterContract('NatsCluster', ({ nodeTtlMs }) => {
  // A fresh prefix gives every test its own buckets and stream on the shared server.
  const prefix = uniquePrefix();
  // replicas: 3 also checks the cap to 1 on a server that is not clustered.
  return Promise.resolve({
    connect: () => connectNatsCluster({ servers: server.url, prefix, nodeTtlMs, replicas: 3 }),
  });
});

describe('NatsCluster specifics', () => {
  it('is what createCluster builds for ZO_QUEUE_STORE=nats', async () => {
    const prefix = uniquePrefix();
    const config = loadConfig({
      ZO_QUEUE_STORE: 'nats',
      ZO_NATS_ADDR: server.url,
      ZO_NATS_PREFIX: prefix,
      ZO_NODE_HEARTBEAT_TTL: '5',
    });
    const cluster = await createCluster(config);
    try {
      await cluster.kv.put('k', 'v');
      const direct = await connectNatsCluster({ servers: server.url, prefix });
      expect(await direct.kv.get('k')).toBe('v');
      await direct.close();
    } finally {
      await cluster.close();
    }
  });

  it('lists a node registered elsewhere as soon as its registration resolves, and forgets a deregistered one', async () => {
    // Listings come from a watched copy that must first reach the bucket's last sequence: an
    // ingester registered before a query starts is asked by that query.
    const prefix = uniquePrefix();
    const lister = await connectNatsCluster({ servers: server.url, prefix });
    const joiner = await connectNatsCluster({ servers: server.url, prefix });
    try {
      expect(await lister.nodes.list('ingester')).toEqual([]);
      for (let i = 0; i < 25; i++) {
        const info = { id: `i${i}`, name: `ingester-${i}`, roles: ['ingester' as const] };
        const registration = await joiner.nodes.register({
          ...info,
          httpAddr: `h:${i}`,
          grpcAddr: `h:${i}`,
          startedAt: Date.now(),
        });
        expect((await lister.nodes.list('ingester')).map((n) => n.id)).toEqual([`i${i}`]);
        await registration.deregister();
        expect(await lister.nodes.list('ingester')).toEqual([]);
      }
    } finally {
      await lister.close();
      await joiner.close();
    }
  });

  it('fails to connect with UNAVAILABLE when nothing listens', async () => {
    const port = await freePort();
    await expect(
      connectNatsCluster({ servers: `127.0.0.1:${port}`, connectTimeoutMs: 2_000 }),
    ).rejects.toMatchObject({ code: 'UNAVAILABLE' });
  });

  it('loses the lease and fails publishes when NATS goes away', async () => {
    const doomed = await startNatsServer();
    const cluster = await connectNatsCluster({ servers: doomed.url, prefix: uniquePrefix() });
    try {
      const log: string[] = [];
      const campaign = cluster.leases.campaign('compactor', 'me', {
        ttlMs: 1_500,
        onElected: () => void log.push('elected'),
        onLost: () => void log.push('lost'),
      });
      await expect.poll(() => campaign.isLeader(), WAIT).toBe(true);
      await doomed.kill();
      // Requests wait out their timeout while the client tries to reconnect; check it meanwhile.
      const publishing = cluster.events.publish('x', 1);
      await expect.poll(() => log, WAIT).toEqual(['elected', 'lost']);
      expect(campaign.isLeader()).toBe(false);
      await expect(publishing).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    } finally {
      await cluster.close();
      await doomed.stop();
    }
  });
});
