import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, startPostgresServer } from '@o2/testing';
import type { PostgresServerHandle } from '@o2/testing';
import { createMetaStore } from './create-meta-store.js';
import { describeMetaStoreContract } from './meta-store.contract.js';
import { postgresMigrations } from './migrations/postgres-migrations.js';
import { connectPostgresMetaStore } from './postgres-meta-store.js';

let server: PostgresServerHandle;
let fileDsn: string;
let admin: pg.Client;
let counter = 0;

beforeAll(async () => {
  server = await startPostgresServer();
  fileDsn = await server.createDatabase();
  admin = new pg.Client({ connectionString: fileDsn });
  await admin.connect();
});
afterAll(async () => {
  await admin?.end();
  await server?.stop();
});

/** The file's database, seen through `schema` first on the search path. */
function dsnFor(schema: string): string {
  const url = new URL(fileDsn);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return url.toString();
}

// Every test gets an empty schema of its own in the file's database: as isolated as a fresh
// database, at a fraction of CREATE DATABASE's cost. The store's SQL is unqualified, so it
// lands in that schema through the search path.
describeMetaStoreContract('PostgresMetaStore', async () => {
  const schema = `contract_${++counter}`;
  await admin.query(`CREATE SCHEMA ${schema}`);
  const dsn = dsnFor(schema);
  return {
    open: ({ now }) => connectPostgresMetaStore({ dsn, now, poolSize: 4 }),
    recordFutureVersion: async (version) => {
      await admin.query(
        `INSERT INTO ${schema}.schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)`,
        [version, 'from a newer O2TS', 0],
      );
    },
    drop: async () => {
      await admin.query(`DROP SCHEMA ${schema} CASCADE`);
    },
  };
});

describe('PostgresMetaStore connection', () => {
  it('reports an unreachable server as UNAVAILABLE naming host and database, not the password', async () => {
    const port = await freePort();
    const attempt = connectPostgresMetaStore({
      dsn: `postgres://o2:Sup3r-Secret-pw@127.0.0.1:${port}/o2meta`,
      connectTimeoutMs: 2000,
    });
    await expect(attempt).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    const error = (await attempt.catch((e: unknown) => e)) as Error;
    expect(error.message).toContain(`127.0.0.1:${port}/o2meta`);
    expect(error.message).not.toContain('Sup3r-Secret-pw');
  });

  it('reports a missing database as UNAVAILABLE', async () => {
    const attempt = connectPostgresMetaStore({
      dsn: `postgres://postgres:pw-not-needed@127.0.0.1:${server.port}/no_such_db`,
    });
    await expect(attempt).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    await expect(attempt).rejects.toThrow(/no_such_db/);
    await expect(attempt).rejects.not.toThrow(/pw-not-needed/);
  });

  it('createMetaStore connects to ZO_META_POSTGRES_DSN when ZO_META_STORE=postgres', async () => {
    const dsn = await server.createDatabase();
    const store = await createMetaStore({
      ZO_META_STORE: 'postgres',
      ZO_DATA_DB_DIR: '/nonexistent/',
      ZO_META_POSTGRES_DSN: dsn,
      ZO_META_CONNECTION_POOL_MAX_SIZE: 3,
    });
    try {
      expect((await store.migrate()).applied).toEqual(
        postgresMigrations.migrations.map((m) => m.version),
      );
      expect(await store.orgs.list()).toEqual([]);
    } finally {
      await store.close();
    }
  });
});
