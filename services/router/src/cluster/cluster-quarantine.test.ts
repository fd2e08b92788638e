import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryCluster } from '@o2/cluster';
import type { NodeRegistration } from '@o2/cluster';
import { loadConfig } from '@o2/config';
import { createIngester, ingesterGrpcServer } from '@o2/ingester';
import type { Ingester } from '@o2/ingester';
import { LocalObjectStore, S3ObjectStore } from '@o2/storage';
import type { ObjectStore } from '@o2/storage';
import { freePort } from '@o2/testing';
import { call, makeDbDir, rootAuth, startRouter } from '../test-support/start-router.js';
import type { StartedRouter } from '../test-support/start-router.js';
import { PeerClients, clusterIngest } from '@o2/querier-client';

const TOKEN = 'between-nodes';
const encode = (rows: unknown[]) => new TextEncoder().encode(JSON.stringify(rows));

/**
 * Cluster mode: three real ingesters behind their gRPC servers, found through the node
 * registry. One quarantines a stream whose storage directory is taken by a file; the router's
 * admin API lists it with the ingester's name, another's stream is stored; the third reaches
 * its object store on a port nothing listens on, and the router's /readyz names it.
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
        const unreachable = new S3ObjectStore({
          endpoint: `http://127.0.0.1:${await freePort()}`,
          region: 'us-east-1',
          accessKey: 'nobody',
          secretKey: 'nothing-listens-there',
          bucket: 'unreachable',
        });
        const stores: Record<string, ObjectStore> = { 'ingester-c': unreachable };
        const parts: Array<{ stop(): Promise<void> }> = [];
        const registrations: NodeRegistration[] = [];
        for (const name of ['ingester-a', 'ingester-b', 'ingester-c']) {
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
            objectStore: stores[name] ?? objects,
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
            await unreachable.close();
          },
        };
      },
    });
  });
  afterAll(async () => {
    await o2?.close();
    await dir?.remove();
  });

  it('lists every ingester quarantine with its node, and /readyz names the ingester whose store is down', async () => {
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

    await ingest('ingester-c', 'waiting', 5);

    // The router flushes every ingester: with ZO_PERSIST_MAX_ATTEMPTS=1 the blocked upload is
    // set aside at once, but ingester-c's store does not answer, so its rows stay local (an
    // outage never quarantines) and the flush says it is incomplete.
    const flushed = await call(o2.url, '/node/flush', { method: 'PUT', auth: rootAuth() });
    expect(flushed.status).toBe(503);
    expect(String((flushed.body as { message?: unknown }).message)).toMatch(
      /^flush incomplete, retrying: 1 upload\(s\) not yet stored/,
    );
    expect((await ingesters.get('ingester-c')?.hotStats('default'))?.[0]?.records).toBe(5);
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
    // Readiness names the ingester whose store does not answer, and why.
    const ready = await call(o2.url, '/readyz');
    expect(ready.status).toBe(503);
    expect(ready.body).toEqual({
      status: 'degraded',
      reasons: [
        expect.stringMatching(
          /^ingester ingester-c: object store unreachable for \d+ s \(\d+ failed tries\): .*ECONNREFUSED/,
        ) as string,
      ],
    });
  });
});
