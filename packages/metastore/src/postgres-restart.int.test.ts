import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileEntryFixture, startPostgresServer } from '@o2/testing';
import type { PostgresServerHandle } from '@o2/testing';
import type { FileEntry } from './meta-store.js';
import { connectPostgresMetaStore } from './postgres-meta-store.js';
import type { PostgresMetaStore } from './postgres-meta-store.js';

const REF = { org: 'default', type: 'logs' as const, name: 'restart' };

function entry(file: string): FileEntry {
  return fileEntryFixture({ stream: REF.name, date: '2026/12/03/16', file });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// A real Postgres stopped (`pg_ctl stop -m fast`: open sessions are terminated) and started
// again on the same port and data while the store is in use.
describe('PostgresMetaStore across a Postgres restart', () => {
  let server: PostgresServerHandle;
  let store: PostgresMetaStore;

  beforeAll(async () => {
    server = await startPostgresServer();
    const dsn = await server.createDatabase();
    store = await connectPostgresMetaStore({ dsn, poolSize: 4, retryWindowMs: 30_000 });
    await store.migrate();
    await store.fileList.add([entry('before.parquet')]);
  }, 120_000);

  afterAll(async () => {
    await store?.close();
    await server?.stop();
  });

  it('a file_list write issued while Postgres is down lands once it is back', async () => {
    await server.halt();
    const started = Date.now();
    const write = store.fileList.add([entry('during.parquet')]);
    await sleep(2_000);
    await server.start();
    await write;
    // It waited for the restart instead of failing at once.
    expect(Date.now() - started).toBeGreaterThanOrEqual(2_000);
    // The pool's connections from before the restart are gone; new ones serve the reads.
    expect((await store.fileList.query(REF)).map((f) => f.file).sort()).toEqual([
      'before.parquet',
      'during.parquet',
    ]);
    // Registration is idempotent: a repeat (say after a lost COMMIT reply) stores nothing twice.
    await store.fileList.add([entry('during.parquet')]);
    expect(await store.fileList.query(REF)).toHaveLength(2);
  }, 60_000);

  it('gives up with UNAVAILABLE once the retry window is spent', async () => {
    const dsn = new URL(`postgres://postgres@127.0.0.1:${server.port}/postgres`).toString();
    const impatient = await connectPostgresMetaStore({ dsn, poolSize: 1, retryWindowMs: 1_000 });
    await server.halt();
    try {
      const started = Date.now();
      await expect(impatient.orgs.list()).rejects.toMatchObject({ code: 'UNAVAILABLE' });
      const took = Date.now() - started;
      expect(took).toBeGreaterThanOrEqual(500);
      expect(took).toBeLessThan(5_000);
    } finally {
      await server.start();
      await impatient.close();
    }
    // And the long-lived store works again.
    expect(await store.fileList.query(REF)).toHaveLength(2);
  }, 60_000);
});
