import { MemoryCluster } from '@o2/cluster';
import type { NodeRegistration } from '@o2/cluster';
import { createGrpcServer } from '@o2/grpc';
import type { GrpcServer } from '@o2/grpc';
import { createLogger } from '@o2/logger';
import { NodeService, encodeHotStreamStats } from '@o2/proto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clusterIngest } from './cluster-ingest.js';
import { PeerClients } from './peer-clients.js';

const TOKEN = 'cluster-ingest-token';
const logger = createLogger({ level: 'silent' });
const HOT = { org: 'default', type: 'logs', stream: 'app', records: 7, bytes: 700 } as const;

// One real ingester's NodeService registered twice — as a restarted ingester is while its old
// registration outlives it until the heartbeat TTL — next to a second ingester.
describe('clusterIngest over a restarted ingester', () => {
  const cluster = new MemoryCluster({ nodeTtlMs: 60_000 });
  const peers = new PeerClients({ cluster, token: TOKEN, logger, maxMessageBytes: 1 << 20 });
  const ingest = clusterIngest({ peers, logger, timeoutMs: 10_000 });
  const servers: GrpcServer[] = [];
  const registrations: NodeRegistration[] = [];
  const asked = new Map<string, number>();

  beforeAll(async () => {
    for (const name of ['ingester-a', 'ingester-b']) {
      const server = createGrpcServer({ port: 0, host: '127.0.0.1', token: TOKEN, logger });
      server.add(NodeService, {
        info: () => Promise.reject(new Error('not asked')),
        flush: () => Promise.resolve({}),
        hotStats: () => {
          asked.set(name, (asked.get(name) ?? 0) + 1);
          return Promise.resolve({
            streams: [encodeHotStreamStats({ ...HOT, minTs: 1, maxTs: 2 })],
          });
        },
        quarantine: () => Promise.resolve({ entries: [] }),
        health: () => Promise.resolve({ ready: true, checks: [] }),
      });
      await server.start();
      servers.push(server);
      const ids = name === 'ingester-a' ? ['a-before-restart', 'a-after-restart'] : ['b'];
      for (const id of ids) {
        registrations.push(
          await cluster.nodes.register({
            id,
            name,
            roles: ['ingester'],
            httpAddr: '',
            grpcAddr: `127.0.0.1:${server.port}`,
            startedAt: Date.now(),
          }),
        );
      }
    }
  });

  afterAll(async () => {
    peers.close();
    await Promise.all(registrations.map((r) => r.deregister()));
    await Promise.all(servers.map((s) => s.stop()));
    await cluster.close();
  });

  it('asks each ingester address once for hot stats, so no rows are counted twice', async () => {
    expect((await cluster.nodes.list('ingester')).length).toBe(3);
    const stats = await ingest.hotStats('default');
    expect(stats.map((s) => s.records)).toEqual([7, 7]);
    expect(Object.fromEntries(asked)).toEqual({ 'ingester-a': 1, 'ingester-b': 1 });
  });
});
