import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { compactorJobsContract } from './contract/compactor-jobs.contract.js';
import { alertsContract } from './contract/alerts.contract.js';
import { pipelinesContract } from './contract/pipelines.contract.js';
import { dashboardsContract } from './contract/dashboards.contract.js';
import { functionsContract } from './contract/functions.contract.js';
import { fileListContract } from './contract/file-list.contract.js';
import { managementContract } from './contract/management.contract.js';
import { identityContract } from './contract/identity.contract.js';
import { streamDeletionsContract } from './contract/stream-deletions.contract.js';
import { streamsContract } from './contract/streams.contract.js';
import type { ContractContext } from './contract/contract-context.js';
import type { MetaStore } from './meta-store.js';

/** One empty database of the implementation under test. */
export interface MetaStoreTestDatabase {
  /** Opens a store on this database (a new connection/pool each time; not migrated). */
  open(options: { now: () => number }): Promise<MetaStore>;
  /** Records a migration version beyond the code's, as a newer O2TS would leave behind. */
  recordFutureVersion(version: number): Promise<void>;
  /** Removes the database after the test. */
  drop(): Promise<void>;
}

/**
 * The behaviour every MetaStore must have, run against each implementation with a fresh
 * database per test. The implementation's test file supplies `createDatabase`.
 */
export function describeMetaStoreContract(
  name: string,
  createDatabase: () => Promise<MetaStoreTestDatabase>,
): void {
  describe(`${name} meets the MetaStore contract`, () => {
    let database: MetaStoreTestDatabase;
    let store: MetaStore;
    let opened: MetaStore[] = [];
    const clock = { now: 1_700_000_000_000 };

    const open = async (): Promise<MetaStore> => {
      const s = await database.open({ now: () => clock.now });
      opened.push(s);
      return s;
    };

    beforeEach(async () => {
      clock.now = 1_700_000_000_000;
      opened = [];
      database = await createDatabase();
      store = await open();
      await store.migrate();
    });

    afterEach(async () => {
      for (const s of opened) await s.close();
      await database.drop();
    });

    const context: ContractContext = {
      store: () => store,
      open,
      clock,
    };

    describe('migrations', () => {
      it('records the applied versions and is a no-op the second time', async () => {
        const again = await store.migrate();
        expect(again.applied).toEqual([]);
        expect(again.from).toBe(again.to);
        expect(again.to).toBeGreaterThanOrEqual(1);
      });

      it('applies every version on an empty database, once, even with two migrators at once', async () => {
        const fresh = await createDatabase();
        try {
          const a = await fresh.open({ now: () => clock.now });
          const b = await fresh.open({ now: () => clock.now });
          const [ra, rb] = await Promise.all([a.migrate(), b.migrate()]);
          expect(ra.to).toBe(rb.to);
          expect([...ra.applied, ...rb.applied].sort((x, y) => x - y)).toEqual(
            Array.from({ length: ra.to }, (_, i) => i + 1),
          );
          expect(Math.min(ra.from, rb.from)).toBe(0);
          await a.orgs.create({ identifier: 'default', name: 'default', type: 'default' });
          expect(await b.orgs.get('default')).toBeDefined();
          await a.close();
          await b.close();
        } finally {
          await fresh.drop();
        }
      });

      it('refuses a database whose schema is newer than the code', async () => {
        const { to } = await store.migrate();
        await database.recordFutureVersion(to + 7);
        const other = await open();
        const attempt = other.migrate();
        await expect(attempt).rejects.toMatchObject({ code: 'FAILED_PRECONDITION' });
        await expect(attempt).rejects.toThrow(
          `database schema version ${to + 7} is newer than this O2TS (${to}); upgrade O2TS`,
        );
      });

      it('keeps everything across close and reopen', async () => {
        await store.orgs.create({ identifier: 'acme', name: 'Acme', type: 'custom' });
        await store.users.create({
          email: 'a@acme.io',
          firstName: 'A',
          lastName: 'B',
          passwordHash: 'h',
          isRoot: true,
        });
        await store.fileList.add([
          {
            org: 'acme',
            type: 'logs',
            stream: 'app',
            date: '2024/08/01/10',
            file: 'f1.parquet',
            minTs: 1_722_506_400_000_000,
            maxTs: 1_722_509_999_999_999,
            records: 3846,
            originalSize: 1_000_000,
            compressedSize: 100_000,
            indexSize: 0,
            flattened: false,
          },
        ]);
        await store.kv.put('acme', 'k', 'v');
        await store.close();
        opened = opened.filter((s) => s !== store);

        store = await open();
        expect((await store.migrate()).applied).toEqual([]);
        expect(await store.orgs.get('acme')).toMatchObject({ name: 'Acme', type: 'custom' });
        expect((await store.users.getRoot())?.email).toBe('a@acme.io');
        const files = await store.fileList.query({ org: 'acme', type: 'logs', name: 'app' });
        expect(files.map((f) => [f.file, f.minTs, f.maxTs, f.records])).toEqual([
          ['f1.parquet', 1_722_506_400_000_000, 1_722_509_999_999_999, 3846],
        ]);
        expect(await store.kv.get('acme', 'k')).toBe('v');
      });

      it('fails with UNAVAILABLE after close, and closing twice is harmless', async () => {
        const other = await open();
        await other.close();
        await other.close();
        opened = opened.filter((s) => s !== other);
        await expect(other.orgs.list()).rejects.toMatchObject({ code: 'UNAVAILABLE' });
      });
    });

    identityContract(context);
    streamsContract(context);
    fileListContract(context);
    streamDeletionsContract(context);
    dashboardsContract(context);
    managementContract(context);
    compactorJobsContract(context);
    alertsContract(context);
    pipelinesContract(context);
    functionsContract(context);
  });
}
