import { createServer } from 'node:net';
import { MemoryCluster } from '@o2/cluster';
import { createLogger } from '@o2/logger';
import type { StoredFileEntry } from '@o2/metastore';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClusterFileSplit } from './cluster-file-split.js';

const logger = createLogger({ level: 'silent' });

/** A loopback address nothing listens on: a querier that died and is still registered. */
async function deadAddress(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return `127.0.0.1:${address.port}`;
}

const files: StoredFileEntry[] = Array.from({ length: 20 }, (_, i) => ({
  org: 'default',
  type: 'logs',
  stream: 'app',
  date: '2026/11/28/07',
  file: `f${i}.parquet`,
  minTs: 0,
  maxTs: 10,
  records: 10,
  originalSize: 100,
  compressedSize: 50,
  indexSize: 0,
  flattened: false,
  id: i,
  updatedAt: 0,
}));

describe('ClusterFileSplit', () => {
  const cluster = new MemoryCluster();
  let splitter: ClusterFileSplit;

  beforeAll(async () => {
    const self = { name: 'querier-1', grpcAddr: '127.0.0.1:1' };
    await cluster.nodes.register({
      id: 'q2',
      name: 'querier-2',
      roles: ['querier'],
      httpAddr: '',
      grpcAddr: await deadAddress(),
      startedAt: 0,
    });
    splitter = new ClusterFileSplit({
      cluster,
      self,
      token: 't',
      logger,
      maxMessageBytes: 1024 * 1024,
      timeoutMs: 5_000,
    });
  });

  afterAll(async () => {
    splitter.close();
    await cluster.close();
  });

  it('reads a dead querier’s share itself instead of failing the query', async () => {
    const ref = { org: 'default', type: 'logs' as const, name: 'app' };
    const range = { startTs: 0, endTs: 100 };
    const split = await splitter.split(ref, files, range);
    expect(split.ask).toBeDefined();
    const answer = await split.ask!('SELECT count(*) FROM app', range);
    const read = [...split.local, ...answer.unavailable].map((f) => f.file).sort();
    expect(read).toEqual(files.map((f) => f.file).sort());
    expect(answer.parquet).toEqual([]);
    const taken = answer.unavailable.length;
    expect(taken).toBeGreaterThan(0);
    expect(split.nodes).toEqual([
      { name: 'querier-1', files: 20 - taken, records: 200 - 10 * taken },
    ]);
    expect(answer.nodes).toEqual([{ name: 'querier-1', files: taken, records: 10 * taken }]);
  });

  it('keeps everything local when it is the only querier', async () => {
    const alone = new ClusterFileSplit({
      cluster: new MemoryCluster(),
      self: { name: 'solo', grpcAddr: '127.0.0.1:1' },
      token: 't',
      logger,
      maxMessageBytes: 1024 * 1024,
      timeoutMs: 1_000,
    });
    const ref = { org: 'default', type: 'logs' as const, name: 'app' };
    const answer = await alone.split(ref, files, { startTs: 0, endTs: 100 });
    expect(answer.local).toHaveLength(20);
    expect(answer.nodes).toEqual([{ name: 'solo', files: 20, records: 200 }]);
    expect(answer.ask).toBeUndefined();
    alone.close();
  });
});
