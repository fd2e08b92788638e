import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { basicAuth, waitUntilHealthy } from '../product-process.js';
import { ROLE_CLUSTER_ROOT, startRoleCluster } from './role-cluster.js';
import type { RoleCluster, RoleNode } from './role-cluster.js';

const ROOT = basicAuth(ROLE_CLUSTER_ROOT.email, ROLE_CLUSTER_ROOT.password);
const LOADED_BOX_MS = 90_000;

/**
 * Two routers on one cluster: what one of them changes (users, orgs, passcodes, stream
 * schemas) the other sees on its very next request, because no router keeps such state.
 */
describe('cluster mode: changes made through one router are seen by another at once', () => {
  let cluster: RoleCluster;
  let routerA: RoleNode;
  let routerB: RoleNode;

  const call = async (
    node: RoleNode,
    path: string,
    auth: string,
    init: { method?: string; body?: unknown } = {},
  ) => {
    const response = await fetch(`${node.process.url}${path}`, {
      method: init.method ?? 'GET',
      headers: {
        authorization: auth,
        ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
    });
    const text = await response.text();
    return {
      status: response.status,
      body: text === '' ? undefined : (JSON.parse(text) as unknown),
    };
  };

  beforeAll(async () => {
    cluster = await startRoleCluster('propagation', 3);
    routerA = await cluster.start('router', 'router-a');
    await waitUntilHealthy(routerA.process, LOADED_BOX_MS);
    routerB = await cluster.start('router', 'router-b');
    await waitUntilHealthy(routerB.process, LOADED_BOX_MS);
    // Ingesters serve no HTTP; the schema test below waits for one to join the registry.
    await cluster.start('ingester', 'ingester-1');
  }, 180_000);

  afterAll(async () => {
    await cluster?.stop();
  });

  it('a user created on one router logs in on the other, and a deleted one is refused there', async () => {
    const user = { email: 'dev@example.com', password: 'Devpass#2026' };
    const created = await call(routerA, '/api/default/users', ROOT, {
      method: 'POST',
      body: { ...user, first_name: 'Dev', last_name: 'One', role: 'admin' },
    });
    expect(created.status).toBe(200);
    const seen = await call(routerB, '/api/default/users', basicAuth(user.email, user.password));
    expect(seen.status).toBe(200);
    const removed = await call(routerB, `/api/default/users/${user.email}`, ROOT, {
      method: 'DELETE',
    });
    expect(removed.status).toBe(200);
    expect(
      (await call(routerA, '/api/default/users', basicAuth(user.email, user.password))).status,
    ).toBe(401);
  });

  it('an org created on one router is listed by the other; a rotated passcode works on both', async () => {
    expect(
      (
        await call(routerA, '/api/organizations', ROOT, {
          method: 'POST',
          body: { name: 'team_b' },
        })
      ).status,
    ).toBe(200);
    expect(JSON.stringify((await call(routerB, '/api/organizations', ROOT)).body)).toContain(
      'team_b',
    );
    const rotated = await call(routerA, '/api/default/passcode', ROOT, { method: 'PUT' });
    const passcode = (rotated.body as { data: { passcode: string } }).data.passcode;
    const viaB = await call(routerB, '/api/default/passcode', ROOT);
    expect((viaB.body as { data: { passcode: string } }).data.passcode).toBe(passcode);
  });

  it("a stream schema grown through one router shows in the other's schema view", async () => {
    for (const deadline = Date.now() + LOADED_BOX_MS; Date.now() < deadline;) {
      const first = await call(routerA, '/api/default/grow/_json', ROOT, {
        method: 'POST',
        body: [{ log: 'one' }],
      });
      if (first.status === 200) break; // the ingester may still be joining the registry
      await new Promise((r) => setTimeout(r, 250));
    }
    expect(
      (
        await call(routerA, '/api/default/grow/_json', ROOT, {
          method: 'POST',
          body: [{ log: 'two', added_later: 7 }],
        })
      ).status,
    ).toBe(200);
    const schema = await call(routerB, '/api/default/streams/grow/schema?type=logs', ROOT);
    const fields = (schema.body as { schema: Array<{ name: string; type: string }> }).schema;
    expect(fields).toContainEqual({ name: 'added_later', type: 'Int64' });
  });
});
