import { createLogger } from '@o2/logger';
import { ScanService } from '@o2/proto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGrpcServer } from './grpc-server.js';
import type { GrpcServer } from './grpc-server.js';
import { PeerClientPool } from './peer-client-pool.js';
import { testServices } from './test-support/test-services.js';
import type { Recorder } from './test-support/test-services.js';

const TOKEN = 'pool-secret';
const logger = createLogger({ level: 'silent' });

interface Peer {
  server: GrpcServer;
  recorder: Recorder;
  address: string;
}

let peers: Peer[] = [];

async function startPeer(): Promise<Peer> {
  const services = testServices();
  const server = createGrpcServer({ port: 0, host: '127.0.0.1', token: TOKEN, logger });
  server.add(ScanService, services.scan);
  await server.start();
  return { server, recorder: services.recorder, address: `127.0.0.1:${server.port}` };
}

/** The file names a peer's Search streams back for `queryId`. */
async function scan(pool: PeerClientPool, address: string, queryId: string): Promise<string[]> {
  const names: string[] = [];
  const stream = pool
    .client(address)
    .service(ScanService)
    .search({ queryId, files: [{ file: `${queryId}.parquet` }] }, { timeoutMs: 10_000 });
  for await (const message of stream) {
    if (message.arrowIpc.byteLength > 0) names.push(new TextDecoder().decode(message.arrowIpc));
  }
  return names;
}

beforeAll(async () => {
  peers = [await startPeer(), await startPeer()];
});

afterAll(async () => {
  await Promise.all(peers.map((p) => p.server.stop()));
});

describe('PeerClientPool', () => {
  it('keeps one client per address and reaches each peer through its own', async () => {
    const pool = new PeerClientPool({ token: TOKEN, logger, maxMessageBytes: 1 << 20 });
    try {
      const [a, b] = peers as [Peer, Peer];
      expect(pool.client(a.address)).toBe(pool.client(a.address));
      expect(pool.client(a.address)).not.toBe(pool.client(b.address));
      expect(pool.client(b.address).address).toBe(b.address);
      expect(pool.addresses.sort()).toEqual([a.address, b.address].sort());

      expect(await scan(pool, a.address, 'to-a')).toEqual(['to-a.parquet']);
      expect(await scan(pool, b.address, 'to-b')).toEqual(['to-b.parquet']);
      // Each call reached the peer it was addressed to, with the pool's token.
      expect([...a.recorder.calls.keys()]).toEqual(['to-a']);
      expect([...b.recorder.calls.keys()]).toEqual(['to-b']);
    } finally {
      pool.close();
    }
  });

  it('closes every client on close and opens fresh ones afterwards', async () => {
    const pool = new PeerClientPool({ token: TOKEN, logger });
    const [a, b] = peers as [Peer, Peer];
    const before = [pool.client(a.address), pool.client(b.address)];
    expect(await scan(pool, a.address, 'before-close')).toEqual(['before-close.parquet']);

    pool.close();
    expect(pool.addresses).toEqual([]);
    for (const closed of before) {
      const call = closed
        .service(ScanService)
        .search({ queryId: 'after-close' }, { timeoutMs: 2_000 });
      await expect(
        (async () => {
          for await (const _ of call);
        })(),
      ).rejects.toThrow(/shut down/);
    }
    expect(a.recorder.calls.has('after-close')).toBe(false);
    expect(b.recorder.calls.has('after-close')).toBe(false);

    const fresh = pool.client(a.address);
    expect(before).not.toContain(fresh);
    expect(await scan(pool, a.address, 'reopened')).toEqual(['reopened.parquet']);
    pool.close();
  });
});
