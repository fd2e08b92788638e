import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSqliteMetaStore } from '@o2/metastore';
import type { MetaStore } from '@o2/metastore';
import { LocalObjectStore } from '@o2/storage';
import { makeTempDir } from '@o2/testing';
import type { TempDir } from '@o2/testing';
import { compileVrl } from '@o2/vrl';
import type { Value } from '@o2/vrl';
import { EnrichmentCache } from './enrichment-cache.js';
import { EnrichmentStore } from './enrichment-store.js';
import { parseCsv } from './parse-csv.js';
import { enrichmentFunctions } from './vrl-functions.js';
import type { EnrichmentTables } from './vrl-functions.js';

const USERS = parseCsv(
  'id,name,team,joined\n1,Ann,ops,2024-01-10T00:00:00Z\n2,bob,dev,2024-03-05T00:00:00Z\n3,Cid,dev,2025-06-01T00:00:00Z\n',
);

describe('enrichment tables stored as a stream, read back for VRL', () => {
  let dir: TempDir;
  let metaStore: MetaStore;
  let objects: LocalObjectStore;
  let store: EnrichmentStore;
  let clock = Date.UTC(2026, 0, 1);

  beforeAll(async () => {
    dir = await makeTempDir('enrichment');
    metaStore = await openSqliteMetaStore({ path: join(dir.path, 'metadata.sqlite') });
    await metaStore.migrate();
    objects = new LocalObjectStore(join(dir.path, 'stream'));
    store = new EnrichmentStore({ metaStore, objectStore: objects, now: () => (clock += 1000) });
    await store.save('default', 'users', USERS, false);
  });
  afterAll(async () => {
    await metaStore.close();
    await objects.close();
    await dir.remove();
  });

  const run = (tables: EnrichmentTables, source: string, event: Value = {}) => {
    const compiled = compileVrl(source, { functions: enrichmentFunctions(tables) });
    if (!compiled.ok) return { compileError: compiled.message };
    return compiled.program.run(event);
  };

  it('stores one Parquet file under the stream layout, registered in file_list with its schema', async () => {
    const ref = { org: 'default', type: 'enrichment_tables' as const, name: 'users' };
    const files = await metaStore.fileList.query(ref);
    expect(files.map((f) => f.records)).toEqual([3]);
    const keys: string[] = [];
    for await (const o of objects.list('files/default/enrichment_tables/users/')) keys.push(o.key);
    expect(keys).toEqual([expect.stringMatching(/\.parquet$/) as unknown]);
    expect((await metaStore.schemas.latest(ref))?.fields).toEqual([
      { name: '_timestamp', type: 'Int64' },
      { name: 'id', type: 'Utf8' },
      { name: 'name', type: 'Utf8' },
      { name: 'team', type: 'Utf8' },
      { name: 'joined', type: 'Utf8' },
    ]);
  });

  it('get_enrichment_table_record returns the one matching row, with select and case folding', async () => {
    const tables = await new EnrichmentCache(store).tables('default');
    expect(
      run(tables, '.user = get_enrichment_table_record!("users", {"id": .uid})', { uid: '2' }),
    ).toMatchObject({
      ok: true,
      event: {
        uid: '2',
        user: { id: '2', name: 'bob', team: 'dev', joined: '2024-03-05T00:00:00Z' },
      },
    });
    expect(
      run(tables, '.u = get_enrichment_table_record!("users", {"id": 1}, ["name"])'),
    ).toMatchObject({ ok: true, event: { u: { name: 'Ann' } } });
    expect(
      run(
        tables,
        '.u = get_enrichment_table_record!("users", {"name": "ANN"}, case_sensitive: false)',
      ),
    ).toMatchObject({ ok: true, event: { u: { id: '1' } } });
  });

  it('get_* fails on no match and on more than one; find_* returns every match', async () => {
    const tables = await new EnrichmentCache(store).tables('default');
    expect(run(tables, 'get_enrichment_table_record!("users", {"name": "ANN"})')).toMatchObject({
      ok: false,
      error: expect.stringContaining('no rows found') as unknown,
    });
    expect(run(tables, 'get_enrichment_table_record!("users", {"team": "dev"})')).toMatchObject({
      ok: false,
      error: expect.stringContaining('more than one row found') as unknown,
    });
    const found = run(tables, 'find_enrichment_table_records!("users", {"team": "dev"}, ["id"])');
    expect(found).toMatchObject({ ok: true, value: [{ id: '2' }, { id: '3' }] });
    // An unhandled fallible call is a compile error, like any fallible VRL function.
    expect(run(tables, '.x = get_enrichment_table_record("users", {"id": "1"})')).toMatchObject({
      compileError: expect.stringContaining('E103') as unknown,
    });
    expect(run(tables, '.x = get_enrichment_table_record!("nope", {"id": "1"})')).toMatchObject({
      compileError: expect.stringContaining('enrichment table nope not found') as unknown,
    });
  });

  it('matches a date range condition on from/to (inclusive, either bound optional)', async () => {
    const tables = await new EnrichmentCache(store).tables('default');
    const joinedIn = (from: string, to?: string) => {
      const res = run(
        tables,
        `find_enrichment_table_records!("users", {"joined": {"from": t'${from}'${to === undefined ? '' : `, "to": t'${to}'`}}}, ["id"])`,
      );
      return 'value' in res ? res.value : res;
    };
    expect(joinedIn('2024-01-01T00:00:00Z', '2024-12-31T00:00:00Z')).toEqual([
      { id: '1' },
      { id: '2' },
    ]);
    expect(joinedIn('2024-03-05T00:00:00Z', '2024-03-05T00:00:00Z')).toEqual([{ id: '2' }]);
    expect(joinedIn('2025-01-01T00:00:00Z')).toEqual([{ id: '3' }]);
  });

  it('append adds rows; replace swaps them and the schema, and the cache sees both changes', async () => {
    const cache = new EnrichmentCache(store, { staleAfterMs: 60_000 });
    await store.save('default', 'teams', parseCsv('team,lead\nops,Ann\n'), false);
    expect((await cache.tables('default')).get('teams')?.rows).toEqual([
      { team: 'ops', lead: 'Ann' },
    ]);

    await store.save('default', 'teams', parseCsv('team,lead,size\ndev,bob,4\n'), true);
    cache.invalidate('default');
    const appended = (await cache.tables('default')).get('teams');
    expect(appended?.rows).toEqual(
      expect.arrayContaining([
        { team: 'ops', lead: 'Ann' },
        { team: 'dev', lead: 'bob', size: '4' },
      ]),
    );
    expect(appended?.rows).toHaveLength(2);

    const replaced = await store.save('default', 'teams', parseCsv('squad\nblue\n'), false);
    expect(replaced).toMatchObject({ records: 1, files: 1 });
    cache.invalidate('default');
    expect((await cache.tables('default')).get('teams')?.rows).toEqual([{ squad: 'blue' }]);
    const ref = { org: 'default', type: 'enrichment_tables' as const, name: 'teams' };
    expect((await metaStore.schemas.latest(ref))?.fields.map((f) => f.name)).toEqual([
      '_timestamp',
      'squad',
    ]);
  });

  it('refuses an append that would take the table past maxTableBytes, keeping its rows', async () => {
    const capped = new EnrichmentStore({ metaStore, objectStore: objects, maxTableBytes: 2000 });
    await capped.save('default', 'capped', parseCsv(`k,v\n${'a,1\n'.repeat(20)}`), false);
    const more = parseCsv(`k,v\n${'b,2\n'.repeat(200)}`);
    await expect(capped.save('default', 'capped', more, true)).rejects.toMatchObject({
      code: 'PAYLOAD_TOO_LARGE',
    });
    expect((await capped.load('default', 'capped'))?.rows).toHaveLength(20);
    // Replacing is measured by the upload alone (the route caps that).
    await capped.save('default', 'capped', more, false);
    expect((await capped.load('default', 'capped'))?.rows).toHaveLength(200);
  });

  it('readers during replaces see one whole generation, never a mix', async () => {
    const generation = (g: number) =>
      parseCsv(`g,i\n${[0, 1, 2].map((i) => `${g},${i}`).join('\n')}\n`);
    await store.save('default', 'gens', generation(0), false);
    const seen: string[][] = [];
    const reads = (async () => {
      for (let r = 0; r < 20; r++) {
        const t = await store.load('default', 'gens');
        seen.push((t?.rows ?? []).map((row) => row['g'] ?? '?'));
      }
    })();
    for (let g = 1; g <= 5; g++) await store.save('default', 'gens', generation(g), false);
    await reads;
    for (const rows of seen) {
      expect(rows).toHaveLength(3);
      expect(new Set(rows).size).toBe(1);
    }
    expect((await store.load('default', 'gens'))?.rows.map((r) => r['g'])).toEqual(['5', '5', '5']);
  });

  it('a table of one org is not visible to another', async () => {
    await store.save('other', 'secrets', parseCsv('k,v\na,1\n'), false);
    const cache = new EnrichmentCache(store, { staleAfterMs: 0 });
    expect([...(await cache.tables('default')).keys()].sort()).toEqual([
      'capped',
      'gens',
      'teams',
      'users',
    ]);
    expect([...(await cache.tables('other')).keys()]).toEqual(['secrets']);
    expect(
      run(await cache.tables('default'), 'get_enrichment_table_record!("secrets", {"k": "a"})'),
    ).toMatchObject({ compileError: expect.stringContaining('not found') as unknown });
  });

  it('refuses an upload while the table is being deleted, and hides it from then on', async () => {
    await store.save('default', 'gone', parseCsv('a\n1\n'), false);
    await metaStore.streamDeletions.request({
      org: 'default',
      type: 'enrichment_tables',
      name: 'gone',
    });
    await expect(store.save('default', 'gone', parseCsv('a\n2\n'), true)).rejects.toMatchObject({
      code: 'CONFLICT',
    });
    expect((await store.list('default')).map((t) => t.name)).not.toContain('gone');
    expect(await store.load('default', 'gone')).toBeUndefined();
  });
});
