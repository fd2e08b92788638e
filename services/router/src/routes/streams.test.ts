import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryCluster } from '@o2/cluster';
import { createCompactor } from '@o2/compactor';
import { createLogger } from '@o2/logger';
import type { FileEntry, StreamRef } from '@o2/metastore';
import { fileEntryFixture } from '@o2/testing';
import { LocalObjectStore } from '@o2/storage';
import { RecordingIngesterControl } from '../test-support/recording-ingest.js';
import {
  ROOT_EMAIL,
  basic,
  call,
  makeDbDir,
  rootAuth,
  startRouter,
  testConfig,
} from '../test-support/start-router.js';
import type { StartedRouter } from '../test-support/start-router.js';

const MB = 1024 * 1024;
const HOUR_US = 3_600_000_000;
const T0 = 1_764_300_000_000_000; // µs
const ADMIN = { email: 'admin@example.com', password: 'Adminpass#1' };
const MEMBER = { email: 'member@example.com', password: 'Memberpass#1' };
const FORBIDDEN = { code: 403, message: 'Unauthorized Access' };

const ref = (name: string, type: StreamRef['type'] = 'logs'): StreamRef => ({
  org: 'default',
  type,
  name,
});

function file(stream: string, name: string, minTs: number, records: number): FileEntry {
  return fileEntryFixture({
    ...{ stream, date: '2025/11/28/03', file: name, minTs, maxTs: minTs + HOUR_US / 2, records },
    ...{ originalSize: records * 1000, compressedSize: records * 100, indexSize: records * 10 },
  });
}

const keyOf = (f: FileEntry): string => `files/${f.org}/${f.type}/${f.stream}/${f.date}/${f.file}`;
/** The full-text token index the ingester writes beside a data file. */
const tokensOf = (f: FileEntry): string => keyOf(f).replace(/\.parquet$/, '.tokens');

interface ListedStream {
  name: string;
  stream_type: string;
  storage_type: string;
  stats: Record<string, number>;
  schema: Array<{ name: string; type: string }>;
  settings: Record<string, unknown>;
  total_fields: number;
}

describe('streams API', () => {
  let dir: { path: string; remove(): Promise<void> };
  let o2: StartedRouter;
  let bare: StartedRouter;
  let objects: LocalObjectStore;
  const ingester = new RecordingIngesterControl();
  const adminAuth = basic(ADMIN.email, ADMIN.password);
  const memberAuth = basic(MEMBER.email, MEMBER.password);
  const appFiles = [file('app', 'a1.parquet', T0, 10), file('app', 'a2.parquet', T0 + HOUR_US, 5)];
  const otherFiles = [file('other', 'o1.parquet', T0, 4)];

  const list = async (query: string, auth = rootAuth()) => {
    const res = await call(o2.url, `/api/default/streams${query}`, { auth });
    expect(res.status).toBe(200);
    return res.body as { list: ListedStream[]; total: number };
  };

  beforeAll(async () => {
    dir = await makeDbDir();
    objects = new LocalObjectStore(join(dir.path, 'objects'));
    o2 = await startRouter(join(dir.path, 'a'), { deps: { ingester, objectStore: objects } });
    bare = await startRouter(join(dir.path, 'b'));
    for (const [user, role] of [
      [ADMIN, 'admin'],
      [MEMBER, 'user'],
    ] as const) {
      const res = await call(o2.url, '/api/default/users', {
        auth: rootAuth(),
        json: { ...user, role },
      });
      expect(res.status).toBe(200);
    }
    const { store } = o2;
    for (const name of ['app', 'other']) await store.streams.ensure(ref(name));
    await store.streams.ensure(ref('cpu', 'metrics'));
    await store.schemas.put(ref('app'), 0, T0, [{ name: '_timestamp', type: 'Int64' }]);
    await store.schemas.put(ref('app'), 1, T0, [
      { name: '_timestamp', type: 'Int64' },
      { name: 'log', type: 'Utf8' },
      { name: 'level', type: 'Utf8' },
    ]);
    await store.fileList.add([...appFiles, ...otherFiles]);
    for (const f of [...appFiles, ...otherFiles]) {
      await objects.put(keyOf(f), Buffer.from('PAR1'));
      await objects.put(tokensOf(f), Buffer.from('index'));
    }
    ingester.hot = [
      {
        org: 'default',
        type: 'logs',
        stream: 'app',
        records: 3,
        bytes: 0.5 * MB,
        minTs: T0 - HOUR_US,
        maxTs: T0 + 3 * HOUR_US,
      },
      {
        org: 'default',
        type: 'logs',
        stream: 'fresh',
        records: 7,
        bytes: 700,
        minTs: T0,
        maxTs: T0 + 1,
      },
      { org: 'other_org', type: 'logs', stream: 'x', records: 1, bytes: 1, minTs: T0, maxTs: T0 },
    ];
  });
  afterAll(async () => {
    await Promise.all([o2.close(), bare.close()]);
    await objects.close();
    await dir.remove();
  });

  it('lists streams with stored and not-yet-uploaded data merged into the stats', async () => {
    const body = await list('?type=logs');
    expect(body.total).toBe(3);
    expect(body.list.map((s) => s.name)).toEqual(['app', 'fresh', 'other']);
    const app = body.list[0];
    expect(app).toMatchObject({
      name: 'app',
      stream_type: 'logs',
      storage_type: 'disk',
      schema: [],
      total_fields: 3,
    });
    expect(app?.stats).toMatchObject({
      doc_num: 18,
      file_num: 2,
      doc_time_min: T0 - HOUR_US,
      doc_time_max: T0 + 3 * HOUR_US,
      storage_size: 15_000 / MB + 0.5,
      compressed_size: 1500 / MB,
      index_size: 150 / MB,
    });
    expect(app?.stats['created_at']).toBeGreaterThan(1_600_000_000_000_000);
    expect(app?.settings).toMatchObject({
      partition_keys: {},
      full_text_search_keys: [],
      data_retention: 0,
    });
    // Records only the ingester holds already count: doc_num right after ingest.
    expect(body.list[1]?.stats).toMatchObject({ doc_num: 7, file_num: 0, doc_time_min: T0 });
  });

  it('filters, sorts, pages and fetches schemas on request', async () => {
    expect((await list('?type=logs&keyword=PP')).list.map((s) => s.name)).toEqual(['app']);
    const byDocs = await list('?type=logs&sort=doc_num&asc=false');
    expect(byDocs.list.map((s) => [s.name, s.stats['doc_num']])).toEqual([
      ['app', 18],
      ['fresh', 7],
      ['other', 4],
    ]);
    const paged = await list('?type=logs&offset=1&limit=1');
    expect([paged.total, paged.list.map((s) => s.name)]).toEqual([3, ['fresh']]);
    const withSchema = await list('?type=logs&keyword=app&fetchSchema=true');
    expect(withSchema.list[0]?.schema).toEqual([
      { name: '_timestamp', type: 'Int64' },
      { name: 'log', type: 'Utf8' },
      { name: 'level', type: 'Utf8' },
    ]);
    const all = await list('', basic(MEMBER.email, MEMBER.password));
    expect(all.list.map((s) => `${s.stream_type}/${s.name}`)).toEqual([
      'logs/app',
      'metrics/cpu',
      'logs/fresh',
      'logs/other',
    ]);
    const bad = await call(o2.url, '/api/default/streams?type=nope', { auth: rootAuth() });
    expect(bad.status).toBe(400);
  });

  it('shows one stream with its latest schema, 404 for an unknown one', async () => {
    const res = await call(o2.url, '/api/default/streams/app/schema?type=logs', {
      auth: memberAuth,
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      name: 'app',
      stream_type: 'logs',
      schema: [
        { name: '_timestamp', type: 'Int64' },
        { name: 'log', type: 'Utf8' },
        { name: 'level', type: 'Utf8' },
      ],
      stats: { doc_num: 18 },
      uds_schema: [],
    });
    const missing = await call(o2.url, '/api/default/streams/nope/schema', { auth: rootAuth() });
    expect([missing.status, missing.body]).toEqual([
      404,
      { code: 404, message: 'stream not found' },
    ]);
    const wrongType = await call(o2.url, '/api/default/streams/app/schema?type=metrics', {
      auth: rootAuth(),
    });
    expect(wrongType.status).toBe(404);
  });

  it('updates settings with add/remove wrappers, never duplicating an entry', async () => {
    const put = (json: unknown, auth = adminAuth) =>
      call(o2.url, '/api/default/streams/app/settings?type=logs', { method: 'PUT', auth, json });
    const first = await put({
      partition_keys: { add: ['k8s_namespace', { field: 'host', types: { hash: 8 } }] },
      full_text_search_keys: { add: ['log', 'log', 'message'] },
      data_retention: 7,
      store_original_data: true,
    });
    expect([first.status, first.body]).toEqual([200, { code: 200, message: '' }]);
    const again = await put({
      partition_keys: { add: [{ field: 'k8s_namespace' }] },
      full_text_search_keys: { add: ['log'], remove: ['message'] },
      bloom_filter_fields: { add: ['trace_id', 'trace_id'] },
      distinct_value_fields: { add: ['level'] },
    });
    expect(again.status).toBe(200);
    const shown = await call(o2.url, '/api/default/streams/app/schema', { auth: rootAuth() });
    const settings = (shown.body as { settings: Record<string, unknown> }).settings;
    expect(settings).toMatchObject({
      partition_keys: {
        L0: { field: 'k8s_namespace', types: 'value', disabled: false },
        L1: { field: 'host', types: { hash: 8 }, disabled: false },
      },
      full_text_search_keys: ['log'],
      bloom_filter_fields: ['trace_id'],
      data_retention: 7,
      store_original_data: true,
      enable_distinct_fields: true,
    });
    expect(settings['distinct_value_fields']).toEqual([
      { name: 'level', added_ts: expect.any(Number) as number },
    ]);
    expect(settings['index_updated_at']).toBeGreaterThan(0);

    const removed = await put({ partition_keys: { remove: ['k8s_namespace'] } });
    expect(removed.status).toBe(200);
    const stored = await o2.store.streams.get(ref('app'));
    expect(stored?.settings['partition_keys']).toEqual({
      L0: { field: 'host', types: { hash: 8 }, disabled: false },
    });
  });

  it('refuses settings without a JSON body (415), with a bad shape (422), for unknown streams (404)', async () => {
    const path = '/api/default/streams/app/settings';
    const noBody = await call(o2.url, path, { method: 'PUT', auth: rootAuth() });
    expect(noBody.status).toBe(415);
    const text = await call(o2.url, path, { method: 'PUT', auth: rootAuth(), body: 'x=1' });
    expect(text.status).toBe(415);
    const plainList = await call(o2.url, path, {
      method: 'PUT',
      auth: rootAuth(),
      json: { full_text_search_keys: ['log'] },
    });
    expect(plainList.status).toBe(422);
    const badScalar = await call(o2.url, path, {
      method: 'PUT',
      auth: rootAuth(),
      json: { data_retention: 'forever' },
    });
    expect(badScalar.status).toBe(422);
    const unknown = await call(o2.url, '/api/default/streams/nope/settings', {
      method: 'PUT',
      auth: rootAuth(),
      json: { data_retention: 1 },
    });
    expect(unknown.status).toBe(404);
  });

  it('lets members read streams but not change settings or delete (403)', async () => {
    const settings = await call(o2.url, '/api/default/streams/app/settings', {
      method: 'PUT',
      auth: memberAuth,
      json: { data_retention: 1 },
    });
    expect([settings.status, settings.body]).toEqual([403, FORBIDDEN]);
    const remove = await call(o2.url, '/api/default/streams/app?type=logs', {
      method: 'DELETE',
      auth: memberAuth,
    });
    expect([remove.status, remove.body]).toEqual([403, FORBIDDEN]);
    expect((await o2.store.streams.get(ref('app'))) !== undefined).toBe(true);
  });

  it('refuses the ingestion passcode on streams routes', async () => {
    const passcode = await call(o2.url, '/api/default/passcode', { auth: rootAuth() });
    const auth = basic(ROOT_EMAIL, (passcode.body as { data: { passcode: string } }).data.passcode);
    expect((await call(o2.url, '/api/default/streams', { auth })).status).toBe(401);
    const remove = await call(o2.url, '/api/default/streams/other', { method: 'DELETE', auth });
    expect(remove.status).toBe(401);
    expect(await objects.head(keyOf(otherFiles[0] as FileEntry))).toBeDefined();
  });

  it('deletes a stream: hidden at once, then the compactor removes its objects and token indexes, file_list rows, schemas and row', async () => {
    const missing = await call(o2.url, '/api/default/streams/nope?type=logs', {
      method: 'DELETE',
      auth: rootAuth(),
    });
    expect([missing.status, missing.body]).toEqual([
      404,
      { code: 404, message: 'stream not found' },
    ]);
    const res = await call(o2.url, '/api/default/streams/app?type=logs', {
      method: 'DELETE',
      auth: adminAuth,
    });
    expect([res.status, res.body]).toEqual([200, { code: 200, message: 'stream deleted' }]);
    expect(ingester.dropped).toEqual([{ org: 'default', type: 'logs', stream: 'app' }]);

    // Gone for the API at once: the list, the schema, and a second delete.
    expect((await list('?type=logs')).list.map((s) => s.name)).toEqual(['fresh', 'other']);
    const schema = await call(o2.url, '/api/default/streams/app/schema', { auth: rootAuth() });
    expect(schema.status).toBe(404);
    const again = await call(o2.url, '/api/default/streams/app?type=logs', {
      method: 'DELETE',
      auth: rootAuth(),
    });
    expect(again.status).toBe(404);
    const { store } = o2;
    expect(await store.streamDeletions.get(ref('app'))).toMatchObject(ref('app'));

    // The storage work is the compactor's: the real one, over the same metastore and objects.
    const cluster = new MemoryCluster({ nodeTtlMs: 5_000 });
    const compactor = createCompactor({
      config: testConfig(join(dir.path, 'a')),
      logger: createLogger({ level: 'silent' }),
      cluster,
      metaStore: store,
      objectStore: objects,
      nodeId: 'compactor-1',
    });
    expect((await compactor.runOnce()).streamDeletions).toEqual({ completed: 1, failed: 0 });
    await cluster.close();

    for (const f of appFiles) {
      expect(await objects.head(keyOf(f))).toBeUndefined();
      expect(await objects.head(tokensOf(f))).toBeUndefined();
    }
    expect(await objects.head(keyOf(otherFiles[0] as FileEntry))).toBeDefined();
    expect(await objects.head(tokensOf(otherFiles[0] as FileEntry))).toBeDefined();
    expect(await store.fileList.query(ref('app'))).toEqual([]);
    expect(await store.fileList.listDeleted(Date.now() + 60_000, 100)).toEqual([]);
    expect(await store.fileList.stats(ref('app'))).toMatchObject({ fileNum: 0, records: 0 });
    expect(await store.streams.get(ref('app'))).toBeUndefined();
    expect(await store.schemas.latest(ref('app'))).toBeUndefined();
    expect(await store.streamDeletions.get(ref('app'))).toBeUndefined();
    expect((await list('?type=logs')).list.map((s) => s.name)).toEqual(['fresh', 'other']);
    expect((await store.fileList.query(ref('other'))).length).toBe(1);
  });

  it('flushes the ingester on PUT /node/flush for root and admins only', async () => {
    const before = ingester.flushes;
    const root = await call(o2.url, '/node/flush', { method: 'PUT', auth: rootAuth() });
    expect([root.status, root.text]).toEqual([200, 'true']);
    const admin = await call(o2.url, '/node/flush', { method: 'PUT', auth: adminAuth });
    expect([admin.status, admin.body]).toEqual([200, true]);
    expect(ingester.flushes).toBe(before + 2);
    const member = await call(o2.url, '/node/flush', { method: 'PUT', auth: memberAuth });
    expect(member.status).toBe(403);
    const anonymous = await call(o2.url, '/node/flush', { method: 'PUT' });
    expect(anonymous.status).toBe(401);
    const none = await call(bare.url, '/node/flush', { method: 'PUT', auth: rootAuth() });
    expect([none.status, none.text]).toEqual([404, '"local node is not an ingester"']);
  });
});
