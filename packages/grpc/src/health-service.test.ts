import { createLogger } from '@o2/logger';
import { Health, HealthCheckResponse_ServingStatus as ServingStatus, NodeService } from '@o2/proto';
import { describe, expect, it, vi } from 'vitest';
import { createGrpcClient } from './grpc-client.js';
import { createGrpcServer } from './grpc-server.js';

const logger = createLogger({ level: 'silent' });

async function startedServer() {
  const server = createGrpcServer({ port: 0, host: '127.0.0.1', token: 't', logger });
  server.add(NodeService, {
    info: () => Promise.resolve({ name: 'node-1', roles: ['querier'] }),
    flush: () => Promise.resolve({}),
    health: () => Promise.resolve({ ready: true }),
    hotStats: () => Promise.resolve({ streams: [] }),
    quarantine: () => Promise.resolve({ entries: [] }),
  });
  await server.start();
  const client = createGrpcClient({ address: `127.0.0.1:${server.port}` });
  return { server, client, health: client.service(Health) };
}

describe('grpc.health.v1', () => {
  it('reports SERVING for the server and each registered service, NOT_FOUND for others', async () => {
    const { server, client, health } = await startedServer();
    try {
      expect((await health.check({})).status).toBe(ServingStatus.SERVING);
      expect((await health.check({ service: NodeService.typeName })).status).toBe(
        ServingStatus.SERVING,
      );
      await expect(health.check({ service: 'o2.nope.v1.NopeService' })).rejects.toMatchObject({
        code: 'NOT_FOUND',
      });
    } finally {
      client.close();
      await server.stop();
    }
  });

  it('streams status changes to watchers and ends the watch on shutdown', async () => {
    const { server, client, health } = await startedServer();
    try {
      const seen: ServingStatus[] = [];
      const watching = (async () => {
        for await (const { status } of health.watch({}, { timeoutMs: 10_000 })) {
          seen.push(status);
          if (seen.length === 1) server.setServing(false);
        }
      })();
      const unknown = health.watch({ service: 'o2.nope.v1.NopeService' })[Symbol.asyncIterator]();
      expect((await unknown.next()).value).toMatchObject({ status: ServingStatus.SERVICE_UNKNOWN });
      await unknown.return?.();
      await vi.waitFor(() =>
        expect(seen).toEqual([ServingStatus.SERVING, ServingStatus.NOT_SERVING]),
      );
      await server.stop();
      await watching;
      expect(seen).toEqual([ServingStatus.SERVING, ServingStatus.NOT_SERVING]);
    } finally {
      client.close();
      await server.stop();
    }
  });
});
