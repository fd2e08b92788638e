import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '@o2/logger';
import { connectPostgresMetaStore } from '@o2/metastore';
import type { MetaStore } from '@o2/metastore';
import { startPostgresServer } from '@o2/testing';
import type { PostgresServerHandle } from '@o2/testing';
import { createRouter } from '../app.js';
import type { ListeningRouter } from '../app.js';
import { bootstrapRoot } from '../bootstrap-root.js';
import {
  createDashboard,
  dashboardFixture,
  minimalDashboard,
  v8Text,
} from '../test-support/dashboard-fixtures.js';
import { call, makeDbDir, rootAuth, testConfig } from '../test-support/start-router.js';

/**
 * The dashboards API over the cluster's metadata store: a real router on a real Postgres. The
 * document column is TEXT there too, so an export still comes back byte for byte.
 */
describe('dashboards over Postgres', () => {
  let server: PostgresServerHandle;
  let store: MetaStore;
  let listening: ListeningRouter;
  let url: string;
  let dir: { path: string; remove(): Promise<void> };

  beforeAll(async () => {
    server = await startPostgresServer();
    const dsn = await server.createDatabase();
    store = await connectPostgresMetaStore({ dsn, poolSize: 4 });
    await store.migrate();
    dir = await makeDbDir();
    const config = testConfig(dir.path);
    const logger = createLogger({ level: 'warn', destination: { write: () => undefined } });
    await bootstrapRoot({ metaStore: store, config, logger });
    listening = await createRouter({ config, logger, metaStore: store }).listen(0, '127.0.0.1');
    url = `http://127.0.0.1:${listening.port}`;
  });
  afterAll(async () => {
    await listening?.close();
    await store?.close();
    await server?.stop();
    await dir?.remove();
  });

  it('serves an imported export byte for byte and refuses a stale hash', async () => {
    const exported = dashboardFixture('every-panel-v8');
    const created = await createDashboard(url, 'default', rootAuth(), exported);
    const id = created.v8.dashboardId;
    const got = await call(url, `/api/default/dashboards/${id}`, { auth: rootAuth() });
    const originalId = (JSON.parse(exported) as { dashboardId: string }).dashboardId;
    expect(v8Text(got.text)).toBe(
      exported.replace(`"dashboardId": "${originalId}"`, `"dashboardId": "${id}"`),
    );
    const ok = await call(url, `/api/default/dashboards/${id}?hash=${created.hash}`, {
      method: 'PUT',
      auth: rootAuth(),
      json: minimalDashboard('renamed'),
    });
    expect(ok.status).toBe(200);
    const stale = await call(url, `/api/default/dashboards/${id}?hash=${created.hash}`, {
      method: 'PUT',
      auth: rootAuth(),
      json: minimalDashboard('lost'),
    });
    expect(stale.status).toBe(409);
  });

  it('keeps a folder that holds a dashboard, and deletes it once empty', async () => {
    const folder = await call(url, '/api/v2/default/folders/dashboards', {
      auth: rootAuth(),
      json: { name: 'Team' },
    });
    const folderId = (folder.body as { folderId: string }).folderId;
    const d = await createDashboard(url, 'default', rootAuth(), minimalDashboard('x'), folderId);
    const path = `/api/v2/default/folders/dashboards/${folderId}`;
    expect((await call(url, path, { method: 'DELETE', auth: rootAuth() })).status).toBe(400);
    await call(url, `/api/default/dashboards/${d.v8.dashboardId}`, {
      method: 'DELETE',
      auth: rootAuth(),
    });
    expect((await call(url, path, { method: 'DELETE', auth: rootAuth() })).status).toBe(200);
  });
});
