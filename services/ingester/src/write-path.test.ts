import { afterEach, describe, expect, it } from 'vitest';
import { MemoryCluster } from '@o2/cluster';
import { loadConfig } from '@o2/config';
import type { IngestRequest } from '@o2/domain';
import { openSqliteMetaStore } from '@o2/metastore';
import type { MetaStore } from '@o2/metastore';
import { encodeRemoteWrite } from '@o2/prom-remote-write';
import { makeTempDir } from '@o2/testing';
import type { TempDir } from '@o2/testing';
import { openWal } from '@o2/wal';
import type { Wal } from '@o2/wal';
import { IdempotencyStore } from './idempotency/idempotency-store.js';
import { Memtables } from './memtable/memtables.js';
import { StreamMetadata } from './stream-metadata.js';
import { StreamSchemas } from './stream-schemas.js';
import { k8slogBody, silentLogger } from './test-support/ingester-fixture.js';
import { WriteGate } from './write-gate.js';
import { decodeWalEntry, encodeWalEntry } from './wal-entry.js';
import { WritePath } from './write-path.js';

const request = (extra: Partial<IngestRequest> = {}): IngestRequest => ({
  org: 'default',
  stream: 'k8s',
  streamType: 'logs',
  format: 'json',
  body: k8slogBody(),
  ...extra,
});

async function walEntries(wal: Wal): Promise<number> {
  let n = 0;
  for await (const _ of wal.replay()) n += 1;
  return n;
}

/** Writes the same request (at most 40 times) until one is refused. */
async function writeUntilRefused(
  path: WritePath,
  wal: Wal,
): Promise<{ accepted: number; refused: unknown }> {
  let accepted = 0;
  for (let i = 0; i < 40; i++) {
    try {
      await path.write(wal, request(), undefined);
      accepted += 1;
    } catch (refused) {
      return { accepted, refused };
    }
  }
  return { accepted, refused: undefined };
}

describe('WritePath', () => {
  let dir: TempDir | undefined;
  let cleanup: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const close of cleanup.reverse()) await close();
    cleanup = [];
    await dir?.remove();
    dir = undefined;
  });

  async function world(env: Record<string, string> = {}) {
    dir = await makeTempDir('write-path');
    const config = loadConfig({ ZO_DATA_DIR: `${dir.path}/`, ...env });
    const metaStore: MetaStore = await openSqliteMetaStore({ path: `${dir.path}/meta.sqlite` });
    await metaStore.migrate();
    const cluster = new MemoryCluster({ nodeTtlMs: 5_000 });
    const now = () => 1_700_000_000_000;
    const wal = await openWal({
      dir: `${dir.path}/wal`,
      fsync: false,
      maxSegmentBytes: 64 * 1024 * 1024,
      maxSegmentAgeMs: 3_600_000,
      now,
    });
    const idempotency = new IdempotencyStore({
      windowSeconds: 600,
      maxBytes: 1024 * 1024,
      fsync: false,
      now,
      logger: silentLogger,
    });
    await idempotency.open(`${dir.path}/idempotency`);
    cleanup.push(
      () => metaStore.close(),
      () => cluster.close(),
      () => wal.close(),
      () => idempotency.close(),
    );
    let persistRequests = 0;
    const make = (memtables: Memtables, budgetWaitMs?: number) =>
      new WritePath({
        ...(budgetWaitMs === undefined ? {} : { budgetWaitMs }),
        config,
        metaStore,
        memtables,
        schemas: new StreamSchemas(metaStore, cluster, () => now() * 1000, silentLogger),
        streamMetadata: new StreamMetadata(metaStore),
        gate: new WriteGate(),
        idempotency,
        now,
        logger: silentLogger,
        requestPersist: () => void (persistRequests += 1),
      });
    return { wal, idempotency, make, metaStore, persists: () => persistRequests };
  }

  it('appends to the WAL and the memtables before answering, and replays the same rows', async () => {
    const { wal, make, metaStore } = await world();
    const memtables = new Memtables();
    const result = await make(memtables).write(wal, request(), undefined);
    expect(JSON.stringify(result)).toContain('"successful":981');
    expect(memtables.stats('default')).toMatchObject([{ stream: 'k8s', records: 981 }]);
    expect(await walEntries(wal)).toBe(1);
    expect(await metaStore.orgs.get('default')).toBeDefined();

    const rebuilt = new Memtables();
    expect(await make(rebuilt).replay(wal)).toBe(981);
    expect(rebuilt.stats('default')).toMatchObject([{ stream: 'k8s', records: 981 }]);
  });

  it('a _bulk body with deletes replays as acknowledged: v3 entries by the O2 rule, v1 by the old one', async () => {
    const { wal, make } = await world();
    const bulk = (afterDelete: string) =>
      new TextEncoder().encode(
        '{"index":{"_index":"a"}}\n{"n":1}\n{"delete":{"_index":"a","_id":"7"}}\n' +
          `${afterDelete}{"index":{"_index":"b"}}\n{"n":2}\n`,
      );
    const live = new Memtables();
    const body = bulk('');
    await make(live).write(wal, request({ stream: undefined, format: 'bulk', body }), undefined);
    const streams = (m: Memtables) => m.stats('default').map((s) => [s.stream, s.records]);
    expect(streams(live)).toEqual([
      ['a', 1],
      ['b', 1],
    ]);
    // An entry written before the rule, whose body had a line after the delete that was skipped
    // (under the O2 rule it would be an action line and fail the body).
    const v1 = {
      v: 1 as const,
      org: 'default',
      streamType: 'logs' as const,
      format: 'bulk' as const,
    };
    await wal.append(encodeWalEntry({ ...v1, now: 1, skip: [] }, bulk('{"skipped":1}\n')));
    const rebuilt = new Memtables();
    expect(await make(rebuilt).replay(wal)).toBe(4);
    expect(streams(rebuilt)).toEqual([
      ['a', 2],
      ['b', 2],
    ]);
  });

  it('writes a _bulk body as v3 only when an action line says delete, not a document', async () => {
    const { wal, make } = await world();
    const path = make(new Memtables());
    const bodies = [
      // "delete" only inside documents: a field name, a value.
      '{"index":{"_index":"a"}}\n{"delete":true,"msg":"\\"delete\\" me"}\n',
      '{"index":{"_index":"a"}}\n{"n":1}\n{"delete":{"_index":"a","_id":"7"}}\n',
    ];
    for (const text of bodies) {
      const body = new TextEncoder().encode(text);
      await path.write(wal, request({ stream: undefined, format: 'bulk', body }), undefined);
    }
    const versions: number[] = [];
    for await (const { entry } of wal.replay()) versions.push(decodeWalEntry(entry).header.v);
    expect(versions).toEqual([1, 3]);
  });

  it('stores a keyed request once and answers its retry from the journal', async () => {
    const { wal, idempotency, make } = await world();
    const memtables = new Memtables();
    const path = make(memtables);
    const keyed = request({ idempotencyKey: 'batch-1' });
    const first = await idempotency.once(keyed, (claim) => path.write(wal, keyed, claim));
    const retry = await idempotency.once(keyed, (claim) => path.write(wal, keyed, claim));
    expect(retry).toEqual(first);
    expect(await walEntries(wal)).toBe(1);
    expect(memtables.stats('default')[0]?.records).toBe(981);
  });

  it('refuses a write while memtables are over ZO_MEM_TABLE_MAX_SIZE and asks for a persist', async () => {
    const { wal, make, persists } = await world({
      ZO_MEM_TABLE_MAX_SIZE: '1',
      ZO_MAX_FILE_SIZE_IN_MEMORY: '1',
    });
    const path = make(new Memtables());
    const { accepted, refused } = await writeUntilRefused(path, wal);
    expect(String(refused)).toMatch(/memtable is full .* retry shortly/);
    expect(accepted).toBeGreaterThan(0);
    // The refused request never reached the WAL; every request over the limit asked for a persist.
    expect(await walEntries(wal)).toBe(accepted);
    expect(persists()).toBeGreaterThanOrEqual(2);
  });

  it('holds a write over ZO_MEM_TABLE_BUDGET until a persist frees room, else answers 503', async () => {
    const { wal, make, persists } = await world({ ZO_MEM_TABLE_BUDGET: '1' });
    const memtables = new Memtables();
    const path = make(memtables, 200);
    const { accepted, refused } = await writeUntilRefused(path, wal);
    // No persist ran (the test's requestPersist only counts): the wait ended in a 503.
    expect(String(refused)).toMatch(/over their budget .* retry shortly/);
    expect(refused).toMatchObject({ code: 'UNAVAILABLE', retryAfterSeconds: 1 });
    expect(memtables.byteSize()).toBeGreaterThan(1024 * 1024);
    expect(await walEntries(wal)).toBe(accepted);
    expect(persists()).toBeGreaterThanOrEqual(1);
    // A write waiting for room goes on once a persist settles its tables (what PersistLoop does).
    const waiting = make(memtables, 60_000).write(wal, request(), undefined);
    await new Promise((r) => setTimeout(r, 50));
    expect(await walEntries(wal)).toBe(accepted);
    memtables.rotate();
    memtables.settle(memtables.takeImmutables(), true);
    expect(JSON.stringify(await waiting)).toContain('"successful":981');
    expect(await walEntries(wal)).toBe(accepted + 1);
  });

  it('refuses an unknown org when ZO_CREATE_ORG_THROUGH_INGESTION is off, storing nothing', async () => {
    const { wal, make } = await world({ ZO_CREATE_ORG_THROUGH_INGESTION: 'false' });
    const memtables = new Memtables();
    await expect(make(memtables).write(wal, request({ org: 'nobody' }), undefined)).rejects.toThrow(
      /organization nobody not found/,
    );
    expect(memtables.isEmpty()).toBe(true);
    expect(await walEntries(wal)).toBe(0);
  });

  it('elects one HA replica for two ingesters on one metastore, and replays the verdicts', async () => {
    const { wal, make } = await world();
    const remoteWrite = (series: Array<[string, Record<string, string>, number]>) =>
      request({
        stream: undefined,
        streamType: 'metrics',
        format: 'prom_remote_write',
        body: encodeRemoteWrite(
          series.map(([name, labels, value]) => ({
            labels: { __name__: name, ...labels },
            samples: [{ value, timestampMs: 1_700_000_000_000 }],
          })),
        ),
      });
    const records = (m: Memtables) =>
      Object.fromEntries(m.stats('default').map((s) => [s.stream, s.records]));
    const a = new Memtables();
    await make(a).write(
      wal,
      remoteWrite([['ha_up', { cluster: 'c1', __replica__: 'r1' }, 1]]),
      undefined,
    );
    // Ingester b never heard r1, yet r1 leads: r2's row is dropped, the plain series is kept.
    const b = new Memtables();
    await make(b).write(
      wal,
      remoteWrite([
        ['ha_up', { cluster: 'c1', __replica__: 'r2' }, 2],
        ['plain_up', {}, 3],
      ]),
      undefined,
    );
    expect([records(a), records(b)]).toEqual([{ ha_up: 1 }, { plain_up: 1 }]);
    // The WAL replay drops the same row without asking the election.
    const rebuilt = new Memtables();
    expect(await make(rebuilt).replay(wal)).toBe(2);
    expect(records(rebuilt)).toEqual({ ha_up: 1, plain_up: 1 });
  });
});
