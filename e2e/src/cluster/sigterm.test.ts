import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitForPort } from '@o2/testing';
import { basicAuth, waitUntilHealthy } from '../product-process.js';
import { ROLE_CLUSTER_ROOT, startRoleCluster } from './role-cluster.js';
import type { RoleCluster, RoleNode } from './role-cluster.js';
import { stopWithin } from './role-output.js';

/** The bound the issue sets: a service asked to stop exits within 10 s (a liveness bound). */
const SHUTDOWN_MS = 10_000;
const LOADED_BOX_MS = 60_000;
const STREAM = 'held_at_sigterm';
const RECORDS = Array.from({ length: 250 }, (_, i) => ({ seq: i, log: `line ${i}` }));

// Each role process stops cleanly on SIGTERM; the ingester first uploads what it holds, so its
// acknowledged rows are in MinIO and the file list, found by a querier with no ingester left.
describe('cluster mode: every service exits 0 on SIGTERM, flushing what it holds', () => {
  let cluster: RoleCluster;
  let router: RoleNode;
  let ingester: RoleNode;
  let querier: RoleNode;
  let compactor: RoleNode;
  let alertmanager: RoleNode;

  const api = async (path: string, body: unknown) => {
    const response = await fetch(`${router.process.url}${path}`, {
      method: 'POST',
      headers: {
        authorization: basicAuth(ROLE_CLUSTER_ROOT.email, ROLE_CLUSTER_ROOT.password),
        'content-type': 'application/json',
      },
      body: JSON.stringify(body),
    });
    return { status: response.status, text: await response.text() };
  };
  /** Retries while the router finds no peer of the role yet (503). */
  const untilFound = async (call: () => Promise<{ status: number; text: string }>) => {
    const deadline = Date.now() + LOADED_BOX_MS;
    for (;;) {
      const answer = await call();
      if (answer.status !== 503 || Date.now() > deadline) return answer;
      await new Promise((r) => setTimeout(r, 200));
    }
  };
  const startedAt = Date.now();
  const count = async () => {
    const answer = await untilFound(() =>
      api('/api/default/_search', {
        query: {
          sql: `SELECT count(*) AS n FROM "${STREAM}"`,
          start_time: (startedAt - 3_600_000) * 1000,
          end_time: (Date.now() + 3_600_000) * 1000,
        },
      }),
    );
    if (answer.status !== 200) throw new Error(`search ${answer.status}: ${answer.text}`);
    return Number((JSON.parse(answer.text) as { hits: Array<{ n: unknown }> }).hits[0]?.n);
  };

  beforeAll(async () => {
    cluster = await startRoleCluster('sigterm', 3);
    // The router first: it migrates the metastore and creates the root user.
    router = await cluster.start('router', 'router-1');
    await waitUntilHealthy(router.process, LOADED_BOX_MS);
    [ingester, querier, compactor, alertmanager] = await Promise.all([
      // No timer uploads during the test: only the shutdown can have put the rows in MinIO.
      cluster.start('ingester', 'ingester-1', {
        ZO_MEM_PERSIST_INTERVAL: '3600',
        ZO_FILE_PUSH_INTERVAL: '3600',
        ZO_MAX_FILE_RETENTION_TIME: '3600',
      }),
      cluster.start('querier', 'querier-1'),
      cluster.start('compactor', 'compactor-1'),
      cluster.start('alertmanager', 'alertmanager-1'),
    ]);
    await Promise.all([ingester, querier].map((n) => waitForPort(n.grpcPort, LOADED_BOX_MS)));
  }, 180_000);

  afterAll(async () => {
    await cluster?.stop();
  }, 60_000);

  it('the ingester uploads its acknowledged rows on SIGTERM and exits 0', async () => {
    const ack = await untilFound(() => api(`/api/default/${STREAM}/_json`, RECORDS));
    expect(ack.text).toBe(
      `{"code":200,"status":[{"name":"${STREAM}","successful":${RECORDS.length},"failed":0}]}`,
    );
    // Nothing was flushed yet: the rows are only in the ingester's memtable and WAL.
    expect(await objectKeys()).toEqual([]);

    expect(await stopWithin(ingester.process, SHUTDOWN_MS)).toBe(0);

    expect((await objectKeys()).some((key) => key.endsWith('.parquet'))).toBe(true);
    // No ingester is left, so the querier can only find them through the file list in Postgres.
    expect(await count()).toBe(RECORDS.length);
  }, 90_000);

  it('router, querier, compactor and alertmanager each exit 0 within 10 s of SIGTERM', async () => {
    const exits = await Promise.all(
      [querier, compactor, alertmanager, router].map(
        async (n) => [n.name, await stopWithin(n.process, SHUTDOWN_MS)] as const,
      ),
    );
    expect(exits).toEqual([
      ['querier-1', 0],
      ['compactor-1', 0],
      ['alertmanager-1', 0],
      ['router-1', 0],
    ]);
  }, 60_000);

  async function objectKeys(): Promise<string[]> {
    const keys: string[] = [];
    for await (const object of cluster.bucket.list(`files/default/logs/${STREAM}/`))
      keys.push(object.key);
    return keys;
  }
});
