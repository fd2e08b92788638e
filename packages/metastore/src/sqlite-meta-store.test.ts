import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir } from '@o2/testing';
import type { TempDir } from '@o2/testing';
import { createMetaStore } from './create-meta-store.js';
import { describeMetaStoreContract } from './meta-store.contract.js';
import { sqliteMigrations } from './migrations/sqlite-migrations.js';
import { openSqliteMetaStore } from './sqlite-meta-store.js';

let temp: TempDir;
let counter = 0;

beforeAll(async () => {
  temp = await makeTempDir('metastore-sqlite');
});
afterAll(async () => {
  await temp.remove();
});

describeMetaStoreContract('SqliteMetaStore', () => {
  const path = join(temp.path, `case-${++counter}`, 'metadata.sqlite');
  return Promise.resolve({
    open: ({ now }) => openSqliteMetaStore({ path, now }),
    recordFutureVersion: (version) => {
      const db = new Database(path);
      db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(
        version,
        'from a newer O2TS',
        0,
      );
      db.close();
      return Promise.resolve();
    },
    drop: () => rm(dirname(path), { recursive: true, force: true }),
  });
});

describe('SqliteMetaStore on disk', () => {
  it('creates missing parent directories and a WAL-mode file', async () => {
    const path = join(temp.path, 'deep', 'er', 'metadata.sqlite');
    const store = await openSqliteMetaStore({ path });
    await store.migrate();
    await store.orgs.ensure({ identifier: 'default', name: 'default', type: 'default' });
    await store.close();
    expect(existsSync(path)).toBe(true);
    const db = new Database(path, { readonly: true });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.prepare('SELECT version, name FROM schema_migrations').all()).toEqual(
      sqliteMigrations.migrations.map(({ version, name }) => ({ version, name })),
    );
    db.close();
  });

  it('createMetaStore opens {ZO_DATA_DB_DIR}metadata.sqlite when ZO_META_STORE=sqlite', async () => {
    const dbDir = join(temp.path, 'data', 'db') + '/';
    const store = await createMetaStore({
      ZO_META_STORE: 'sqlite',
      ZO_DATA_DB_DIR: dbDir,
      ZO_META_POSTGRES_DSN: '',
      ZO_META_CONNECTION_POOL_MAX_SIZE: 0,
    });
    expect((await store.migrate()).applied).toEqual(
      sqliteMigrations.migrations.map((m) => m.version),
    );
    await store.close();
    expect(existsSync(join(dbDir, 'metadata.sqlite'))).toBe(true);
  });

  it('reports a file it cannot open as UNAVAILABLE', async () => {
    // A directory where the file should be.
    const path = join(temp.path, 'is-a-dir');
    await makeDir(path);
    await expect(openSqliteMetaStore({ path })).rejects.toMatchObject({ code: 'UNAVAILABLE' });
  });
});

async function makeDir(path: string): Promise<void> {
  const { mkdir } = await import('node:fs/promises');
  await mkdir(path, { recursive: true });
}
