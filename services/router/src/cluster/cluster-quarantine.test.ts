import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryCluster } from '@o2/cluster';
import type { NodeRegistration } from '@o2/cluster';
import { loadConfig } from '@o2/config';
import { createIngester, ingesterGrpcServer } from '@o2/ingester';
import type { Ingester } from '@o2/ingester';
import { LocalObjectStore } from '@o2/storage';
import { call, makeDbDir, rootAuth, startRouter } from '../test-support/start-router.js';
import type { StartedRouter } from '../test-support/start-router.js';
import { clusterIngest } from './cluster-ingest.js';
import { PeerClients } from './peer-clients.js';

const TOKEN = 'between-nodes';
const encode = (rows: unknown[]) => new TextEncoder().encode(JSON.stringify(rows));

/**
 * Cluster mode: two real ingesters behind their gRPC servers, found through the node
 * registry. One of them quarantines a stream whose storage directory is taken by a file; the
 * router's admin API lists it with the ingester's name, the other's stream is stored.
 */
describe('quarantine across ingesters', () => {
  let dir: { path: string; remove(): Promise<void> };
  let o2: StartedRouter;
  const ingesters = new Map<string, Ingester>();

  beforeAll(async () => {
    dir = await makeDbDir();
    o2 = await startRouter(dir.path, {
      wire: async ({ store, logger }) => {
        const cluster = new MemoryCluster({ nodeTtlMs: 60_000 });
        const objects = new LocalObjectStore(join(dir.path, 'stream'));
        const parts: Array<{ stop(): Promise<void> }> = [];
        const registrations: NodeRegistration[] = [];
        for (const name of ['ingester-a', 'ingester-b']) {
          const config = loadConfig({
            ZO_DATA_DIR: `${dir.path}/`,
            ZO_DATA_WAL_DIR: join(dir.path, name),
            ZO_DATA_STREAM_DIR: join(dir.path, 'stream'),
            ZO_MEM_PERSIST_INTERVAL: '3600',
            ZO_FILE_PUSH_INTERVAL: '3600',
            ZO_PERSIST_MAX_ATTEMPTS: '1',
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
          const node = {
            id: name,
            name,
            roles: ['ingester' as const],
            httpAddr: '',
            grpcAddr: '',
            startedAt: Date.now(),
          };
          const server = ingesterGrpcServer({
            config,
            logger,
            ingester,
            node,
            maxMessageBytes: 1 << 24,
          });
          await server.start();
          registrations.push(
            await cluster.nodes.register({ ...node, grpcAddr: `127.0.0.1:${server.port}` }),
          );
          ingesters.set(name, ingester);
          parts.push(server, ingester);
        }
        const peers = new PeerClients({ cluster, token: TOKEN, logger, maxMessageBytes: 1 << 24 });
        const control = clusterIngest({ peers, logger, timeoutMs: 10_000 });
        return {
          ingest: control,
          ingester: control,
          stop: async () => {
            peers.close();
            await Promise.all(registrations.map((r) => r.deregister()));
            for (const part of parts) await part.stop();
            await cluster.close();
            await objects.close();
          },
        };
      },
    });
  });
  afterAll(async () => {
    await o2?.close();
    await dir?.remove();
  });

  it('lists every ingester quarantine with its node through GET /node/quarantine', async () => {
    const logs = join(dir.path, 'stream', 'files', 'default', 'logs');
    await mkdir(logs, { recursive: true });
    await writeFile(join(logs, 'blocked'), 'a file where a directory must go');
    const ingest = (name: string, stream: string, rows: number) =>
      ingesters.get(name)?.ingest({
        org: 'default',
        stream,
        streamType: 'logs',
        format: 'json',
        body: encode(Array.from({ length: rows }, (_, n) => ({ n }))),
      });
    await ingest('ingester-a', 'blocked', 12);
    await ingest('ingester-b', 'fine', 8);

    // One flush per ingester: with ZO_PERSIST_MAX_ATTEMPTS=1 the blocked upload is set aside.
    const flushed = await call(o2.url, '/node/flush', { method: 'PUT', auth: rootAuth() });
    expect(flushed.status).toBe(200);
    const stored = await o2.store.fileList.query({ org: 'default', type: 'logs', name: 'fine' });
    expect(stored.reduce((sum, f) => sum + f.records, 0)).toBe(8);

    const listed = await call(o2.url, '/node/quarantine', { auth: rootAuth() });
    expect(listed.status).toBe(200);
    const entries = (listed.body as { entries: Array<Record<string, unknown>> }).entries;
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      node: 'ingester-a',
      org: 'default',
      stream_type: 'logs',
      stream: 'blocked',
      stage: 'upload',
      rows: 12,
      attempts: 1,
    });
    expect(String(entries[0]?.['path'])).toContain(join(dir.path, 'ingester-a', 'quarantine'));
    // The stores answer, so every ingester reports healthy and the router is ready.
    expect((await call(o2.url, '/readyz')).body).toEqual({ status: 'ok' });
  });
});
