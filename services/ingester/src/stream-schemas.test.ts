import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MemoryCluster } from '@o2/cluster';
import { SCHEMA_CHANGED_TOPIC, publishEvent } from '@o2/domain';
import { openSqliteMetaStore } from '@o2/metastore';
import type { MetaStore } from '@o2/metastore';
import { StreamSchemas } from './stream-schemas.js';

const key = { org: 'default', type: 'logs' as const, stream: 'app' };
const ref = { org: 'default', type: 'logs' as const, name: 'app' };
const quiet = { warn: () => undefined };

describe('StreamSchemas after a stream is deleted elsewhere', () => {
  let metaStore: MetaStore;
  let cluster: MemoryCluster;
  beforeEach(async () => {
    metaStore = await openSqliteMetaStore({ path: ':memory:' });
    await metaStore.migrate();
    cluster = new MemoryCluster({ nodeTtlMs: 5_000 });
  });
  afterEach(async () => {
    await cluster.close();
    await metaStore.close();
  });

  it('stores the row and schema again once told the schema is gone (schema.changed without a version)', async () => {
    const schemas = new StreamSchemas(metaStore, cluster, () => 1, quiet);
    const watching = await schemas.watch();
    await schemas.prepare(key, [{ log: 'a' }]);
    expect(await metaStore.streams.get(ref)).toBeDefined();

    // What the compactor does when it finishes deleting the stream on another node.
    await metaStore.streams.delete(ref);
    await publishEvent(cluster.events, SCHEMA_CHANGED_TOPIC, { stream: 'default/logs/app' });

    await schemas.prepare(key, [{ log: 'b' }]);
    expect(await metaStore.streams.get(ref)).toBeDefined();
    expect((await metaStore.schemas.latest(ref))?.fields.map((f) => f.name)).toEqual([
      '_timestamp',
      'log',
    ]);
    await watching.unsubscribe();
  });
  it('says when a batch already fits the stored schema, so conforming it can be skipped', async () => {
    const schemas = new StreamSchemas(metaStore, cluster, () => 1, quiet);
    const first = await schemas.prepare(key, [{ _timestamp: 1, log: 'a', code: 200 }]);
    expect(first.conformed).toBe(false);
    const again = await schemas.prepare(key, [{ _timestamp: 2, log: 'b', code: 404 }]);
    expect(again).toEqual({ schema: first.schema, conformed: true });
    // A float widens `code` to Float64: the full path (evolve, then conform) runs.
    const cast = await schemas.prepare(key, [{ _timestamp: 3, log: 'c', code: 2.5 }]);
    expect(cast.conformed).toBe(false);
  });
});
