import { AppError } from '@o2/errors';
import { createLogger } from '@o2/logger';
import { NodeService } from '@o2/proto';
import { describe, expect, it } from 'vitest';
import { createGrpcClient } from './grpc-client.js';
import { createGrpcServer } from './grpc-server.js';
import type { CallContext } from './service-types.js';

const logger = createLogger({ level: 'silent' });

/** A node whose Info waits for `release` (or its call's end) before answering. */
async function nodeServer(shutdownGraceMs: number) {
  let entered: () => void = () => undefined;
  const inHandler = new Promise<void>((resolve) => (entered = resolve));
  let release: () => void = () => undefined;
  const released = new Promise<void>((resolve) => (release = resolve));
  let abortReason: unknown;
  const server = createGrpcServer({ port: 0, host: '127.0.0.1', logger, shutdownGraceMs });
  server.add(NodeService, {
    async info(_request, context: CallContext) {
      entered();
      context.signal.addEventListener('abort', () => {
        abortReason = context.signal.reason as unknown;
      });
      await Promise.race([
        released,
        new Promise((resolve) => context.signal.addEventListener('abort', resolve)),
      ]);
      return { name: 'node-1' };
    },
    flush: () => Promise.resolve({}),
    health: () => Promise.resolve({ ready: true }),
    hotStats: () => Promise.resolve({ streams: [] }),
    quarantine: () => Promise.resolve({ entries: [] }),
  });
  await server.start();
  const client = createGrpcClient({
    address: `127.0.0.1:${server.port}`,
    retry: { maxAttempts: 1 },
  });
  return { server, client, inHandler, release, abortReason: () => abortReason };
}

describe('grpc server shutdown', () => {
  it('lets an in-flight call finish before it stops', async () => {
    const node = await nodeServer(10_000);
    try {
      const call = node.client.service(NodeService).info({});
      await node.inHandler;
      const stopped = node.server.stop();
      node.release();
      expect((await call).name).toBe('node-1');
      await stopped;
      const after = node.client.service(NodeService).info({}, { timeoutMs: 2_000 });
      await expect(after).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    } finally {
      node.client.close();
    }
  });

  it('cancels calls still running when the grace period ends', async () => {
    const node = await nodeServer(100);
    try {
      const call = node.client.service(NodeService).info({}, { timeoutMs: 10_000 });
      call.catch(() => undefined);
      await node.inHandler;
      await node.server.stop();
      await expect(call).rejects.toBeInstanceOf(AppError);
      expect(node.abortReason()).toMatchObject({ code: 'UNAVAILABLE' });
    } finally {
      node.client.close();
    }
  });
});
