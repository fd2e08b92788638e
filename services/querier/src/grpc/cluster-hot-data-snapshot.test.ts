import { createServer } from 'node:net';
import { MemoryCluster } from '@o2/cluster';
import { createLogger } from '@o2/logger';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storedStream } from '../test-support/stored-stream.js';
import type { StoredStream } from '../test-support/stored-stream.js';
import { ClusterHotData } from './cluster-hot-data.js';

const logger = createLogger({ level: 'silent' });
const ref = { org: 'default', type: 'logs' as const, name: 'app' };
const ALL = { startTs: 0, endTs: Number.MAX_SAFE_INTEGER };

/** A port nothing listens on any more. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

describe('ClusterHotData snapshot', () => {
  let stored: StoredStream;
  beforeAll(async () => {
    stored = await storedStream(3);
  });
  afterAll(async () => {
    await stored.close();
  });

  const hotData = (cluster: MemoryCluster) =>
    new ClusterHotData({
      cluster,
      metaStore: stored.metaStore,
      token: 't',
      logger,
      maxMessageBytes: 1 << 20,
      timeoutMs: 1_000,
    });

  it('is file_list alone when no ingester is live', async () => {
    const cluster = new MemoryCluster();
    const source = hotData(cluster);
    try {
      const snapshot = await source.snapshot(ref, ALL);
      expect(snapshot.tables).toEqual([]);
      expect(snapshot.storedFiles.map((f) => f.file).sort()).toEqual(
        stored.entries.map((f) => f.file).sort(),
      );
    } finally {
      source.close();
      await cluster.close();
    }
  });

  it('fails the query when a live ingester cannot be asked, rather than miss its rows', async () => {
    const cluster = new MemoryCluster();
    const port = await closedPort();
    await cluster.nodes.register({
      id: 'i1',
      name: 'ingester-1',
      roles: ['ingester'],
      httpAddr: `127.0.0.1:${port}`,
      grpcAddr: `127.0.0.1:${port}`,
      startedAt: Date.now(),
    });
    const source = hotData(cluster);
    try {
      await expect(source.snapshot(ref, ALL)).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    } finally {
      source.close();
      await cluster.close();
    }
  });
});
