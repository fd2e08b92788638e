import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EnrichmentStore, parseCsv } from '@o2/enrichment';
import { AppError } from '@o2/errors';
import { createSourceResolver } from './source-resolver.js';
import type { FileSplit, HotDataSource } from './querier-types.js';
import { BASE, HOUR, storedStream } from './test-support/stored-stream.js';
import type { StoredStream } from './test-support/stored-stream.js';

/** What an ingester's or worker's gRPC answers for a non-ingestible stream type. */
const refused = (): never => {
  throw new AppError('INVALID_ARGUMENT', 'unsupported stream type ENRICHMENT_TABLES');
};

describe('source resolver: enrichment tables', () => {
  let disk: StoredStream;

  beforeAll(async () => {
    disk = await storedStream(1);
    const store = new EnrichmentStore({ metaStore: disk.metaStore, objectStore: disk.objectStore });
    await store.save('default', 'users', parseCsv('id,name\n1,ann\n2,bob\n'), false);
  });
  afterAll(() => disk.close());

  const users = [{ name: 'users', type: 'enrichment_tables' }];
  // A window long before the upload: a logs stream would read nothing in it.
  const OLD = { startTs: BASE, endTs: BASE + HOUR };

  it('reads the whole table from the file list, whatever the range, without asking ingesters or workers', async () => {
    const hotData: HotDataSource = { snapshot: refused };
    const fileSplit = { split: refused } as unknown as FileSplit;
    const resolver = createSourceResolver({ ...disk, hotData, fileSplit });
    const resolved = await resolver.resolve('default', 'logs', users, OLD, new Map());
    resolved.release();
    const [source] = resolved.sources;
    expect(source).toMatchObject({ name: 'users', type: 'enrichment_tables', allRows: true });
    expect(source?.schema.map((f) => f.name)).toEqual(['_timestamp', 'id', 'name']);
    expect(source?.parquetFiles).toHaveLength(1);
    // The logs stream in the same query keeps its range and its ingester.
    const logs = await createSourceResolver(disk).resolve(
      'default',
      'logs',
      [{ name: 'app' }],
      OLD,
      new Map(),
    );
    logs.release();
    expect(logs.sources[0]?.allRows).toBeUndefined();
  });

  it('treats a table whose deletion is pending as missing (empty schema → 20002)', async () => {
    await disk.metaStore.streamDeletions.request({
      org: 'default',
      type: 'enrichment_tables',
      name: 'users',
    });
    const resolved = await createSourceResolver(disk).resolve(
      'default',
      'logs',
      users,
      OLD,
      new Map(),
    );
    resolved.release();
    expect(resolved.sources[0]?.schema).toEqual([]);
  });
});
