import { describe, expect, it } from 'vitest';
import type { SchemaField, StreamRef } from '../meta-store.js';
import type { ContractContext } from './contract-context.js';

const logs: StreamRef = { org: 'default', type: 'logs', name: 'k8s_logs' };
const fieldsV1: SchemaField[] = [
  { name: '_timestamp', type: 'Int64' },
  { name: 'log', type: 'Utf8' },
];
const fieldsV2: SchemaField[] = [...fieldsV1, { name: 'code', type: 'Int64' }];

export function streamsContract({ store, open, clock }: ContractContext): void {
  describe('streams', () => {
    it('ensure creates with the given settings once and keeps them afterwards', async () => {
      const settings = { partition_keys: [{ field: 'k8s_namespace_name' }], data_retention: 30 };
      const created = await store().streams.ensure(logs, settings);
      expect(created).toEqual({
        ...logs,
        settings,
        metadata: {},
        createdAt: clock.now,
        updatedAt: clock.now,
      });
      clock.now += 10;
      expect(await store().streams.ensure(logs, { other: true })).toEqual(created);
      expect(await store().streams.ensure({ ...logs, name: 'bare' })).toMatchObject({
        settings: {},
      });
      expect(await store().streams.get(logs)).toEqual(created);
      expect(await store().streams.get({ ...logs, type: 'metrics' })).toBeUndefined();
    });

    it('merges metadata entries, creating the stream, and keeps existing keys when asked', async () => {
      const up = { org: 'default', type: 'metrics', name: 'up' } as const;
      await store().streams.putMetadata(up, { prom_metadata: '{"metric_type":"Gauge"}' });
      await store().streams.putMetadata(up, { prom_metadata: 'ignored', other: 'x' }, 'missing');
      expect((await store().streams.get(up))?.metadata).toEqual({
        prom_metadata: '{"metric_type":"Gauge"}',
        other: 'x',
      });
      await store().streams.putMetadata(up, { other: 'y' });
      expect((await store().streams.get(up))?.metadata['other']).toBe('y');
    });

    it("lists an org's streams, optionally of one type, sorted", async () => {
      await store().streams.ensure({ org: 'default', type: 'metrics', name: 'up' });
      await store().streams.ensure({ org: 'default', type: 'logs', name: 'zz' });
      await store().streams.ensure({ org: 'default', type: 'logs', name: 'aa' });
      await store().streams.ensure({ org: 'other', type: 'logs', name: 'mm' });
      const all = await store().streams.list('default');
      expect(all.map((s) => `${s.type}/${s.name}`)).toEqual(['logs/aa', 'logs/zz', 'metrics/up']);
      const onlyLogs = await store().streams.list('default', 'logs');
      expect(onlyLogs.map((s) => s.name)).toEqual(['aa', 'zz']);
      expect(await store().streams.list('nobody')).toEqual([]);
    });

    it('replaces settings, and NOT_FOUND for a missing stream', async () => {
      await store().streams.ensure(logs, { a: 1 });
      clock.now += 100;
      const nested = {
        full_text_search_keys: ['log', 'message'],
        extra: { deep: [1, 'two', null] },
      };
      const updated = await store().streams.putSettings(logs, nested);
      expect(updated).toMatchObject({ settings: nested, updatedAt: clock.now });
      expect(updated.createdAt).toBe(clock.now - 100);
      expect((await store().streams.get(logs))?.settings).toEqual(nested);
      await expect(
        store().streams.putSettings({ ...logs, name: 'nope' }, {}),
      ).rejects.toMatchObject({
        code: 'NOT_FOUND',
      });
    });

    it('delete removes the stream and its schema history, and is idempotent', async () => {
      await store().streams.ensure(logs);
      await store().schemas.put(logs, 0, 1, fieldsV1);
      const otherStream = { ...logs, name: 'other' };
      await store().schemas.put(otherStream, 0, 1, fieldsV1);
      await store().streams.delete(logs);
      expect(await store().streams.get(logs)).toBeUndefined();
      expect(await store().schemas.history(logs)).toEqual([]);
      expect(await store().schemas.history(otherStream)).toHaveLength(1);
      await store().streams.delete(logs);
      // A recreated stream starts its schema history again at version 1.
      expect((await store().schemas.put(logs, 0, 2, fieldsV2)).version).toBe(1);
    });
  });

  describe('schemas', () => {
    it('stores versions in order with their start timestamps', async () => {
      expect(await store().schemas.latest(logs)).toBeUndefined();
      const v1 = await store().schemas.put(logs, 0, 1_722_506_400_000_000, fieldsV1);
      expect(v1).toEqual({
        ...logs,
        version: 1,
        startTs: 1_722_506_400_000_000,
        fields: fieldsV1,
        createdAt: clock.now,
      });
      clock.now += 1;
      const v2 = await store().schemas.put(logs, 1, 1_722_510_000_000_000, fieldsV2);
      expect(v2.version).toBe(2);
      expect(await store().schemas.latest(logs)).toEqual(v2);
      expect(await store().schemas.history(logs)).toEqual([v1, v2]);
      // Other streams and types have their own numbering.
      expect((await store().schemas.put({ ...logs, type: 'traces' }, 0, 0, fieldsV1)).version).toBe(
        1,
      );
    });

    it('rejects a stale or future expected version with CONFLICT', async () => {
      await store().schemas.put(logs, 0, 1, fieldsV1);
      await store().schemas.put(logs, 1, 2, fieldsV2);
      await expect(store().schemas.put(logs, 1, 3, fieldsV2)).rejects.toMatchObject({
        code: 'CONFLICT',
      });
      await expect(store().schemas.put(logs, 0, 3, fieldsV2)).rejects.toMatchObject({
        code: 'CONFLICT',
      });
      await expect(store().schemas.put(logs, 5, 3, fieldsV2)).rejects.toMatchObject({
        code: 'CONFLICT',
      });
      await expect(store().schemas.put(logs, -1, 3, fieldsV2)).rejects.toMatchObject({
        code: 'INVALID_ARGUMENT',
      });
      expect((await store().schemas.latest(logs))?.version).toBe(2);
    });

    it('lets exactly one of two concurrent writers with the same expected version win', async () => {
      const other = await open();
      for (let round = 0; round < 5; round++) {
        const results = await Promise.allSettled([
          store().schemas.put(logs, round, round, [
            ...fieldsV1,
            { name: `a${round}`, type: 'Utf8' },
          ]),
          other.schemas.put(logs, round, round, [...fieldsV1, { name: `b${round}`, type: 'Utf8' }]),
        ]);
        const won = results.filter((r) => r.status === 'fulfilled');
        const lost = results.filter((r) => r.status === 'rejected');
        expect(won).toHaveLength(1);
        expect(lost).toHaveLength(1);
        expect((lost[0] as PromiseRejectedResult).reason).toMatchObject({ code: 'CONFLICT' });
      }
      const history = await store().schemas.history(logs);
      expect(history.map((v) => v.version)).toEqual([1, 2, 3, 4, 5]);
    });
  });

  describe('kv', () => {
    it('puts, overwrites, gets and deletes values per org', async () => {
      await store().kv.put('default', 'alerts/a1', '{"v":1}');
      await store().kv.put('default', 'alerts/a1', '{"v":2}');
      await store().kv.put('other', 'alerts/a1', 'elsewhere');
      expect(await store().kv.get('default', 'alerts/a1')).toBe('{"v":2}');
      expect(await store().kv.get('other', 'alerts/a1')).toBe('elsewhere');
      expect(await store().kv.get('default', 'missing')).toBeUndefined();
      expect(await store().kv.delete('default', 'alerts/a1')).toBe(true);
      expect(await store().kv.delete('default', 'alerts/a1')).toBe(false);
      expect(await store().kv.get('other', 'alerts/a1')).toBe('elsewhere');
    });

    it('lists keys by literal, case-sensitive prefix, sorted bytewise', async () => {
      for (const key of ['b/2', 'b/1', 'B/3', 'a%b', 'a_b', 'axb', 'b', 'é']) {
        await store().kv.put('default', key, 'x');
      }
      await store().kv.put('other', 'b/9', 'x');
      expect(await store().kv.list('default')).toEqual([
        'B/3',
        'a%b',
        'a_b',
        'axb',
        'b',
        'b/1',
        'b/2',
        'é',
      ]);
      expect(await store().kv.list('default', 'b/')).toEqual(['b/1', 'b/2']);
      expect(await store().kv.list('default', 'a%')).toEqual(['a%b']);
      expect(await store().kv.list('default', 'a_')).toEqual(['a_b']);
      expect(await store().kv.list('default', 'zzz')).toEqual([]);
    });

    it('claims a key: first writer holds it, renews it, loses it only after the stale interval', async () => {
      const kv = store().kv;
      expect(await kv.claim('default', 'ha/c1', 'r1', 1_000, 500)).toEqual({
        value: 'r1',
        updatedAt: 1_000,
      });
      // Another claimant within the interval sees the holder and its time.
      expect(await kv.claim('default', 'ha/c1', 'r2', 1_400, 500)).toEqual({
        value: 'r1',
        updatedAt: 1_000,
      });
      expect(await kv.claim('default', 'ha/c1', 'r1', 1_450, 500)).toEqual({
        value: 'r1',
        updatedAt: 1_450,
      });
      // A renewal with an older clock does not move the time back.
      expect(await kv.claim('default', 'ha/c1', 'r1', 1_300, 500)).toEqual({
        value: 'r1',
        updatedAt: 1_450,
      });
      expect(await kv.claim('default', 'ha/c1', 'r2', 1_950, 500)).toEqual({
        value: 'r1',
        updatedAt: 1_450,
      });
      expect(await kv.claim('default', 'ha/c1', 'r2', 1_951, 500)).toEqual({
        value: 'r2',
        updatedAt: 1_951,
      });
      expect(await kv.claim('other', 'ha/c1', 'r3', 1_952, 500)).toEqual({
        value: 'r3',
        updatedAt: 1_952,
      });
      expect(await kv.get('default', 'ha/c1')).toBe('r2');
    });

    it('lets exactly one of two concurrent claimants win', async () => {
      const second = await open();
      try {
        const results = await Promise.all([
          store().kv.claim('default', 'ha/c2', 'r1', 5_000, 1_000),
          second.kv.claim('default', 'ha/c2', 'r2', 5_000, 1_000),
        ]);
        expect(results[0]).toEqual(results[1]);
        expect(['r1', 'r2']).toContain(results[0]?.value);
      } finally {
        await second.close();
      }
    });
  });
}
