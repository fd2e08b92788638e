import { Writable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MemoryCluster } from '@o2/cluster';
import { loadConfig } from '@o2/config';
import {
  SCHEMA_CHANGED_TOPIC,
  STREAM_DELETION_REQUESTED_TOPIC,
  storedObjectKeys,
} from '@o2/domain';
import { createLogger } from '@o2/logger';
import { openSqliteMetaStore } from '@o2/metastore';
import type { FileEntry, MetaStore, StreamRef } from '@o2/metastore';
import type { ObjectStore } from '@o2/storage';
import { makeTempDir } from '@o2/testing';
import type { TempDir } from '@o2/testing';
import { createCompactor } from '../app.js';
import type { Compactor } from '../app.js';
import { FailingDeletes } from './failing-deletes.js';

const silent = createLogger({
  level: 'silent',
  destination: new Writable({ write: (_c, _e, done) => done() }),
});
const HOUR = '2026/11/28/07';
const refOf = (name: string): StreamRef => ({ org: 'default', type: 'logs', name });

function entry(stream: string, file: string): FileEntry {
  return {
    org: 'default',
    type: 'logs',
    stream,
    date: HOUR,
    file,
    minTs: 1,
    maxTs: 2,
    records: 10,
    originalSize: 100,
    compressedSize: 50,
    indexSize: 4,
    flattened: false,
  };
}

/** What a store under test is opened on; `close` also removes what the store made. */
export type OpenObjectStore = (dir: TempDir) => Promise<ObjectStore>;

/**
 * Stream deletion by the compactor against one object store implementation: the real compactor
 * over a real SQLite metastore, real objects in the store, and the in-process cluster.
 */
export function describeStreamDeletion(name: string, openStore: OpenObjectStore): void {
  describe(`compactor stream deletion (${name})`, () => {
    let dir: TempDir;
    let metaStore: MetaStore;
    let objects: ObjectStore;
    let cluster: MemoryCluster;
    const compactors: Compactor[] = [];

    beforeEach(async () => {
      dir = await makeTempDir('compactor-delete');
      metaStore = await openSqliteMetaStore({ path: `${dir.path}/meta.sqlite` });
      await metaStore.migrate();
      objects = await openStore(dir);
      cluster = new MemoryCluster({ nodeTtlMs: 5_000 });
    });

    afterEach(async () => {
      for (const c of compactors.splice(0)) await c.stop();
      await cluster.close();
      await objects.close();
      await metaStore.close();
      await dir.remove();
    });

    function compactor(store: ObjectStore = objects, env: Record<string, string> = {}): Compactor {
      const made = createCompactor({
        config: loadConfig({ ZO_DATA_DIR: `${dir.path}/`, ...env }),
        logger: silent,
        cluster,
        metaStore,
        objectStore: store,
        nodeId: `n${compactors.length + 1}`,
      });
      compactors.push(made);
      return made;
    }

    /** Registers `count` files of `stream` and stores their Parquet and token-index objects. */
    async function ingested(stream: string, count: number, prefix = 'f'): Promise<FileEntry[]> {
      const files = Array.from({ length: count }, (_, i) => entry(stream, `${prefix}${i}.parquet`));
      const keys = files.flatMap((f) => storedObjectKeys(f));
      for (let i = 0; i < keys.length; i += 50) {
        await Promise.all(keys.slice(i, i + 50).map((k) => objects.put(k, Buffer.from('PAR1'))));
      }
      await metaStore.fileList.add(files);
      await metaStore.streams.ensure(refOf(stream));
      return files;
    }

    async function objectCount(stream: string): Promise<number> {
      let n = 0;
      for await (const _ of objects.list(`files/default/logs/${stream}/`)) n += 1;
      return n;
    }

    it('deletes the files, objects, row and schema of a requested stream, and nothing else', async () => {
      await ingested('app', 3);
      await ingested('other', 2);
      await metaStore.schemas.put(refOf('app'), 0, 1, [{ name: '_timestamp', type: 'Int64' }]);
      await metaStore.streamDeletions.request(refOf('app'));
      const told: unknown[] = [];
      await cluster.events.subscribe(SCHEMA_CHANGED_TOPIC, (e) => void told.push(e.payload));

      const run = await compactor().runOnce();

      expect(run.streamDeletions).toEqual({ completed: 1, failed: 0 });
      expect(await objectCount('app')).toBe(0);
      expect(await metaStore.fileList.query(refOf('app'))).toEqual([]);
      expect(await metaStore.fileList.listDeletedUpTo(refOf('app'), 10 ** 9, 10)).toEqual([]);
      expect(await metaStore.streams.get(refOf('app'))).toBeUndefined();
      expect(await metaStore.schemas.latest(refOf('app'))).toBeUndefined();
      expect(await metaStore.streamDeletions.pending(10)).toEqual([]);
      // Ingesters drop the schema they cached for the stream.
      expect(told).toEqual([{ stream: 'default/logs/app' }]);
      expect(await objectCount('other')).toBe(4);
      expect(await metaStore.fileList.query(refOf('other'))).toHaveLength(2);
      expect(await metaStore.streams.get(refOf('other'))).toBeDefined();
    });

    it('re-ingest after delete survives: data written after the request is a new stream', async () => {
      const old = await ingested('app', 2, 'old');
      await metaStore.schemas.put(refOf('app'), 0, 1, [{ name: '_timestamp', type: 'Int64' }]);
      await metaStore.streamDeletions.request(refOf('app'));
      // Written again before the compactor got to the request.
      const fresh = await ingested('app', 2, 'new');

      expect((await compactor().runOnce()).streamDeletions.completed).toBe(1);

      for (const f of old) expect(await objects.head(storedObjectKeys(f)[0]!)).toBeUndefined();
      for (const key of fresh.flatMap((f) => storedObjectKeys(f)))
        expect(await objects.head(key)).toBeDefined();
      const live = await metaStore.fileList.query(refOf('app'));
      expect(live.map((f) => f.file)).toEqual(['new0.parquet', 'new1.parquet']);
      expect(await metaStore.streams.get(refOf('app'))).toBeDefined();
      expect(await metaStore.schemas.latest(refOf('app'))).toBeDefined();
      expect(await metaStore.streamDeletions.pending(10)).toEqual([]);

      // And data written after the deletion finished starts a stream of its own too.
      await metaStore.streamDeletions.request(refOf('app'));
      await compactor().runOnce();
      expect(await metaStore.streams.get(refOf('app'))).toBeUndefined();
      const again = await ingested('app', 1, 'later');
      await compactor().runOnce();
      expect((await metaStore.fileList.query(refOf('app'))).map((f) => f.file)).toEqual([
        'later0.parquet',
      ]);
      expect(await objects.head(storedObjectKeys(again[0]!)[0]!)).toBeDefined();
    });

    it('crash midway then finished by next run: a new leader completes what the dead one began', async () => {
      await ingested('app', 620);
      await metaStore.streamDeletions.request(refOf('app'));
      // The first leader dies after its first batch is gone: its second delete never happens.
      const dying = new FailingDeletes(objects, (_keys, call) => call >= 2);
      const first = await compactor(dying).runOnce();
      expect(first.streamDeletions).toEqual({ completed: 0, failed: 1 });
      // Everything is hidden already, and the request survives the crash.
      expect(await metaStore.fileList.query(refOf('app'))).toEqual([]);
      expect(await objectCount('app')).toBe(2 * 120);
      expect(await metaStore.streamDeletions.pending(10)).toHaveLength(1);

      const next = new FailingDeletes(objects, () => false);
      const second = await compactor(next).runOnce();
      expect(second.streamDeletions).toEqual({ completed: 1, failed: 0 });
      expect(await objectCount('app')).toBe(0);
      expect(await metaStore.fileList.listDeletedUpTo(refOf('app'), 10 ** 9, 10)).toEqual([]);
      expect(await metaStore.streams.get(refOf('app'))).toBeUndefined();
      expect(await metaStore.streamDeletions.pending(10)).toEqual([]);
      // S3's DeleteObjects takes at most 1000 keys.
      expect(Math.max(...dying.deleteCalls, ...next.deleteCalls)).toBeLessThanOrEqual(1000);
    });

    it('one failing stream deletion blocks neither the others nor the delayed file purge', async () => {
      await ingested('bad', 2);
      await ingested('good', 2);
      const stale = await ingested('stale', 1);
      await metaStore.fileList.markDeleted(refOf('stale'), stale);
      await metaStore.streamDeletions.request(refOf('bad'));
      await metaStore.streamDeletions.request(refOf('good'));
      const refusing = new FailingDeletes(objects, (keys) =>
        keys.some((k) => k.startsWith('files/default/logs/bad/')),
      );
      const env = { ZO_COMPACT_DELETE_FILES_DELAY_MINUTES: '0' };
      await new Promise((resolve) => setTimeout(resolve, 5)); // the purge takes marks before now

      const run = await compactor(refusing, env).runOnce();

      expect(run).toMatchObject({ streamDeletions: { completed: 1, failed: 1 }, purgedFiles: 1 });
      expect(await objectCount('good')).toBe(0);
      expect(await objectCount('stale')).toBe(0);
      expect(await objectCount('bad')).toBe(4);
      expect((await metaStore.streamDeletions.pending(10)).map((d) => d.name)).toEqual(['bad']);

      expect((await compactor(objects, env).runOnce()).streamDeletions.completed).toBe(1);
      expect(await objectCount('bad')).toBe(0);
    });

    it('the leader runs when elected and wakes on a deletion request, not only on its interval', async () => {
      await ingested('left', 1);
      await ingested('app', 2);
      // Left pending by a leader that died: the new one takes it up when elected.
      await metaStore.streamDeletions.request(refOf('left'));
      const leader = compactor(objects, { ZO_COMPACT_INTERVAL: '3600' });
      await leader.start();
      await expect
        .poll(() => metaStore.streamDeletions.pending(10), { timeout: 5_000 })
        .toEqual([]);
      expect(await objectCount('left')).toBe(0);

      await metaStore.streamDeletions.request(refOf('app'));
      await cluster.events.publish(STREAM_DELETION_REQUESTED_TOPIC, {
        org: 'default',
        type: 'logs',
        stream: 'app',
      });
      await expect
        .poll(() => metaStore.streamDeletions.pending(10), { timeout: 5_000 })
        .toEqual([]);
      expect(await objectCount('app')).toBe(0);
    });
  });
}
