import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryCluster } from '@o2/cluster';
import type { NodeRegistration } from '@o2/cluster';
import { loadConfig } from '@o2/config';
import { isAppError } from '@o2/errors';
import { createIngester, ingesterGrpcServer } from '@o2/ingester';
import type { Ingester } from '@o2/ingester';
import type { GrpcServer } from '@o2/grpc';
import type { TailBatch } from '@o2/live-tail';
import { createLogger } from '@o2/logger';
import type { MetaStore } from '@o2/metastore';
import { LocalObjectStore } from '@o2/storage';
import { makeTempDir } from '@o2/testing';
import type { TempDir } from '@o2/testing';
import { openStore } from '../test-support/start-router.js';
import { clusterTail } from './cluster-tail.js';
import { PeerClients } from '@o2/querier-client';

const TOKEN = 'between-nodes';
const logger = createLogger({
  level: 'silent',
  destination: new Writable({ write: (_c, _e, done) => done() }),
});
const ref = { org: 'default', type: 'logs' as const, stream: 'app' };

interface Node {
  ingester: Ingester;
  server: GrpcServer;
  registration: NodeRegistration;
}

/** A session read in the background: every row's `log`, in arrival order. */
function follow(rows: AsyncIterable<TailBatch>) {
  const seen: string[] = [];
  let batches = 0;
  const done = (async () => {
    for await (const batch of rows) {
      batches++;
      for (const row of batch.rows) seen.push((JSON.parse(row) as { log: string }).log);
    }
  })();
  return { seen, batches: () => batches, done };
}

/**
 * The router's live tail fan-in over real ingesters behind their gRPC servers, found in the
 * node registry: rows from each are merged, a late ingester is picked up, a stopped one does
 * not end the session, and the session's end cancels every call.
 */
describe('clusterTail over real ingesters (gRPC)', () => {
  let dir: TempDir;
  let store: MetaStore;
  let objects: LocalObjectStore;
  const cluster = new MemoryCluster({ nodeTtlMs: 60_000 });
  const nodes = new Map<string, Node>();
  let peers: PeerClients;

  const startNode = async (name: string) => {
    const config = loadConfig({
      ZO_DATA_DIR: `${dir.path}/`,
      ZO_DATA_WAL_DIR: join(dir.path, name),
      ZO_DATA_STREAM_DIR: join(dir.path, 'stream'),
      ZO_MEM_PERSIST_INTERVAL: '3600',
      ZO_FILE_PUSH_INTERVAL: '3600',
      ZO_GRPC_PORT: '0',
      ZO_GRPC_ADDR: '127.0.0.1',
      ZO_INTERNAL_GRPC_TOKEN: TOKEN,
    });
    const ingester = createIngester({
      config,
      logger,
      metaStore: store,
      objectStore: objects,
      cluster,
    });
    await ingester.start();
    const info = { id: name, name, roles: ['ingester' as const], httpAddr: '', startedAt: 1 };
    const server = ingesterGrpcServer({
      config,
      logger,
      ingester,
      node: { ...info, grpcAddr: '' },
      maxMessageBytes: 1 << 24,
    });
    await server.start();
    const registration = await cluster.nodes.register({
      ...info,
      grpcAddr: `127.0.0.1:${server.port}`,
    });
    nodes.set(name, { ingester, server, registration });
  };

  const stopNode = async (name: string) => {
    const node = nodes.get(name);
    if (node === undefined) return;
    nodes.delete(name);
    await node.registration.deregister();
    await node.server.stop();
    await node.ingester.stop();
  };

  const ingest = async (name: string, rows: object[]) => {
    const result = await nodes.get(name)?.ingester.ingest({
      ...{ org: 'default', stream: 'app', streamType: 'logs', format: 'json' },
      body: new TextEncoder().encode(JSON.stringify(rows)),
    });
    expect(result).toBeDefined();
  };

  beforeAll(async () => {
    dir = await makeTempDir('cluster-tail');
    store = await openStore(dir.path);
    objects = new LocalObjectStore(join(dir.path, 'stream'));
    await startNode('ingester-a');
    await startNode('ingester-b');
    peers = new PeerClients({ cluster, token: TOKEN, logger, maxMessageBytes: 1 << 24 });
  });
  afterAll(async () => {
    peers.close();
    for (const name of [...nodes.keys()]) await stopNode(name);
    await cluster.close();
    await objects.close();
    await store.close();
    await dir.remove();
  });

  it('merges filtered rows from every ingester, late joiners included, through a stop', async () => {
    const tail = clusterTail({ peers, logger, refreshMs: 100 });
    const abort = new AbortController();
    const session = tail.tail({ ...ref, filter: "level = 'error'" }, abort.signal);
    const iterator = session[Symbol.asyncIterator]();
    // The first batch: subscribed on both ingesters.
    expect(await iterator.next()).toEqual({ done: false, value: { rows: [], dropped: 0 } });
    const reader = follow({ [Symbol.asyncIterator]: () => iterator });

    await ingest('ingester-a', [
      { log: 'a1', level: 'error' },
      { log: 'a2', level: 'info' },
    ]);
    await ingest('ingester-b', [{ log: 'b1', level: 'error' }]);
    await expect.poll(() => [...reader.seen].sort()).toEqual(['a1', 'b1']);

    await startNode('ingester-c');
    // Picked up on a refresh: poll with fresh rows until one arrives from the new ingester.
    let n = 0;
    await expect
      .poll(async () => {
        await ingest('ingester-c', [{ log: `c${++n}`, level: 'error' }]);
        return reader.seen.some((log) => log.startsWith('c'));
      })
      .toBe(true);

    // Its open tail call does not hold the ingester's graceful stop (5 s grace) back.
    const stopping = Date.now();
    await stopNode('ingester-b');
    expect(Date.now() - stopping).toBeLessThan(4_000);
    await ingest('ingester-a', [{ log: 'a3', level: 'error' }]);
    await expect.poll(() => reader.seen.includes('a3')).toBe(true);

    abort.abort();
    await reader.done;
  });

  it('ends with the ingester’s INVALID_ARGUMENT for a filter it cannot parse', async () => {
    const tail = clusterTail({ peers, logger });
    const session = tail.tail({ ...ref, filter: "level = 'open" }, new AbortController().signal);
    let error: unknown;
    try {
      for await (const _ of session) break;
    } catch (caught) {
      error = caught;
    }
    expect(isAppError(error) && error.code).toBe('INVALID_ARGUMENT');
  });

  it('bounds what it holds for a slow reader and reports the rows it dropped', async () => {
    // No refresh during the test: the next batch is the one the ingester's message filled.
    const tail = clusterTail({ peers, logger, maxBufferedRows: 5, refreshMs: 60_000 });
    const abort = new AbortController();
    const iterator = tail.tail({ ...ref, filter: '' }, abort.signal)[Symbol.asyncIterator]();
    await iterator.next();
    // 50 rows arrive in one message while nobody reads: the merge keeps the newest 5.
    await ingest(
      'ingester-a',
      Array.from({ length: 50 }, (_, i) => ({ log: `r${i}` })),
    );
    const { value } = (await iterator.next()) as { value: TailBatch };
    expect(value.rows.map((r) => (JSON.parse(r) as { log: string }).log)).toEqual([
      'r45',
      'r46',
      'r47',
      'r48',
      'r49',
    ]);
    expect(value.dropped).toBe(45);
    abort.abort();
    await iterator.next();
  });
});
