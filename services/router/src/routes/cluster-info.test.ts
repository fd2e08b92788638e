import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryCluster } from '@o2/cluster';
import { clusterInfoSchema, nodeListSchema } from '@o2/api-schemas';
import { basic, call, makeDbDir, rootAuth, startRouter } from '../test-support/start-router.js';
import type { StartedRouter } from '../test-support/start-router.js';

const ADMIN = { email: 'defaultadmin@example.com', password: 'Adminpass#1' };

describe('/api/_meta/node/list and /api/_meta/cluster/info', () => {
  let dir: { path: string; remove(): Promise<void> };
  let o2: StartedRouter;
  const cluster = new MemoryCluster({ nodeTtlMs: 60_000 });

  beforeAll(async () => {
    dir = await makeDbDir();
    await cluster.nodes.register({
      id: 'n-ingester',
      name: 'ingester-0',
      roles: ['ingester'],
      httpAddr: 'http://10.0.0.2:5080',
      grpcAddr: '10.0.0.2:5081',
      startedAt: 1_700_000_000_000,
    });
    await cluster.nodes.register({
      id: 'n-querier',
      name: 'querier-0',
      roles: ['querier'],
      httpAddr: 'http://10.0.0.3:5080',
      grpcAddr: '10.0.0.3:5081',
      startedAt: 1_700_000_000_000,
    });
    o2 = await startRouter(dir.path, {
      env: { ZO_CLUSTER_NAME: 'zo-test' },
      deps: { nodes: cluster.nodes },
    });
    await call(o2.url, '/api/default/users', {
      auth: rootAuth(),
      json: { ...ADMIN, role: 'admin' },
    });
  });
  afterAll(async () => {
    await o2.close();
    await cluster.close();
    await dir.remove();
  });

  it('lists the live nodes of the registry by region and cluster', async () => {
    const res = await call(o2.url, '/api/_meta/node/list', { auth: rootAuth() });
    expect(res.status).toBe(200);
    const body = nodeListSchema.parse(res.body);
    const nodes = body.regions['default']?.clusters['zo-test'] ?? [];
    expect(nodes.map((n) => [n.name, n.role, n.grpc_addr, n.status])).toEqual([
      ['ingester-0', ['ingester'], '10.0.0.2:5081', 'online'],
      ['querier-0', ['querier'], '10.0.0.3:5081', 'online'],
    ]);
  });

  it("reports the compactor's pending stream deletions as pending jobs", async () => {
    const info = async () =>
      clusterInfoSchema.parse(
        (await call(o2.url, '/api/_meta/cluster/info', { auth: rootAuth() })).body,
      ).regions['default']?.clusters['zo-test']?.pending_jobs;
    expect(await info()).toBe(0);
    await o2.store.streamDeletions.request({ org: 'default', type: 'logs', name: 'old' });
    expect(await info()).toBe(1);
  });

  it('answers only in _meta (403 elsewhere, as O2) and only to its admins', async () => {
    const elsewhere = await call(o2.url, '/api/default/node/list', { auth: rootAuth() });
    expect([elsewhere.status, elsewhere.body]).toEqual([
      403,
      { code: 403, message: 'This API is only available for the _meta organization' },
    ]);
    expect((await call(o2.url, '/api/default/cluster/info', { auth: rootAuth() })).status).toBe(
      403,
    );
    const admin = basic(ADMIN.email, ADMIN.password);
    expect((await call(o2.url, '/api/_meta/node/list', { auth: admin })).status).toBe(403);
    expect((await call(o2.url, '/api/_meta/cluster/info', { auth: admin })).status).toBe(403);
    expect((await call(o2.url, '/api/_meta/node/list', {})).status).toBe(401);
  });
});
