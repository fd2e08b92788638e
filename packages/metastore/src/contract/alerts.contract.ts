import { describe, expect, it } from 'vitest';
import type { AlertContent, MetaStore } from '../meta-store.js';
import type { ContractContext } from './contract-context.js';

function content(name: string, over: Partial<AlertContent> = {}): AlertContent {
  return {
    name,
    enabled: true,
    isRealTime: false,
    streamType: 'logs',
    streamName: 'app',
    owner: 'root@example.com',
    data: '{"name":"' + name + '"}',
    lastEditedBy: 'root@example.com',
    ...over,
  };
}

async function seed(store: MetaStore, org = 'acme'): Promise<void> {
  await store.orgs.ensure({ identifier: org, name: org, type: 'custom' });
  await store.folders.ensureDefault(org, 'alerts');
  await store.folders.create({ org, type: 'alerts', folderId: 'f2', name: 'Two', description: '' });
}

const create = (
  s: MetaStore,
  id: string,
  name: string,
  over: Partial<AlertContent> = {},
  next = 1_000,
) =>
  s.alerts.create({ org: 'acme', alertId: id, folderId: 'default', ...content(name, over) }, next);

export function alertsContract({ store, open, clock }: ContractContext): void {
  describe('alerts', () => {
    it('stores, lists with filters, updates, moves and deletes alerts', async () => {
      const s = store();
      await seed(s);
      const a = await create(s, 'a1', 'Errors');
      expect(a).toMatchObject({
        alertId: 'a1',
        folderId: 'default',
        enabled: true,
        createdAt: clock.now,
      });
      await create(s, 'a2', 'latency', { isRealTime: true, streamName: 'web' });
      await expect(create(s, 'a3', 'Errors')).rejects.toMatchObject({ code: 'ALREADY_EXISTS' });
      await expect(
        s.alerts.create({ org: 'acme', alertId: 'a4', folderId: 'nope', ...content('x') }, 0),
      ).rejects.toMatchObject({ code: 'NOT_FOUND', message: 'Folder not found' });
      expect((await s.alerts.list('acme')).map((x) => x.name)).toEqual(['Errors', 'latency']);
      expect((await s.alerts.list('acme', { nameSubstring: 'ERR' })).map((x) => x.alertId)).toEqual(
        ['a1'],
      );
      expect((await s.alerts.list('acme', { isRealTime: true })).map((x) => x.alertId)).toEqual([
        'a2',
      ]);
      expect((await s.alerts.listRealTime('acme', 'logs', 'web')).map((x) => x.alertId)).toEqual([
        'a2',
      ]);
      expect(await s.alerts.list('other')).toEqual([]);
      expect(await s.alerts.get('other', 'a1')).toBeUndefined();

      clock.now += 10;
      const updated = await s.alerts.update(
        'acme',
        'a1',
        content('Errors2', { enabled: false }),
        0,
      );
      expect(updated).toMatchObject({ name: 'Errors2', enabled: false, updatedAt: clock.now });
      expect((await s.alerts.state('acme', 'a1'))?.nextRunAt).toBe(0);
      await expect(s.alerts.update('acme', 'zz', content('x'), 0)).rejects.toMatchObject({
        code: 'NOT_FOUND',
      });

      await s.alerts.move('acme', ['a1', 'a2'], 'f2');
      expect((await s.alerts.list('acme', { folderId: 'f2' })).length).toBe(2);
      await expect(s.alerts.move('acme', ['a1', 'zz'], 'default')).rejects.toMatchObject({
        code: 'NOT_FOUND',
      });
      expect((await s.alerts.get('acme', 'a1'))?.folderId).toBe('f2');
      await expect(s.alerts.move('acme', ['a1'], 'missing')).rejects.toMatchObject({
        code: 'NOT_FOUND',
      });

      expect(await s.alerts.setEnabled('acme', ['a1', 'zz'], true, 5_000)).toEqual(['a1']);
      expect((await s.alerts.state('acme', 'a1'))?.nextRunAt).toBe(5_000);
      await expect(s.folders.delete('acme', 'alerts', 'f2')).rejects.toMatchObject({
        code: 'FAILED_PRECONDITION',
        message: 'Folder contains alerts, please move/delete alerts from folder',
      });
      expect(await s.alerts.delete('acme', ['a1', 'zz'])).toEqual(['a1']);
      expect(await s.alerts.state('acme', 'a1')).toBeUndefined();
    });

    it('hands each due run to exactly one claimer, across connections', async () => {
      const s = store();
      await seed(s);
      await create(s, 'a1', 'one', {}, 1_000);
      await create(s, 'a2', 'two', {}, 9_000);
      await create(s, 'a3', 'off', { enabled: false }, 500);
      await create(s, 'a4', 'rt', { isRealTime: true }, 500);
      const due = await s.alerts.due(2_000, 10);
      expect(due.map((d) => d.alertId)).toEqual(['a1']);
      const other = await open();
      const results = await Promise.all([
        s.alerts.claim('acme', 'a1', 1_000, 61_000, 'n1'),
        other.alerts.claim('acme', 'a1', 1_000, 61_000, 'n2'),
        s.alerts.claim('acme', 'a1', 1_000, 61_000, 'n3'),
      ]);
      expect(results.filter(Boolean)).toHaveLength(1);
      const state = await s.alerts.state('acme', 'a1');
      expect(state).toMatchObject({ nextRunAt: 61_000, claimedAt: clock.now });
      expect(['n1', 'n2', 'n3']).toContain(state?.claimedBy);
      expect(await s.alerts.due(2_000, 10)).toEqual([]);

      await s.alerts.recordOutcome('acme', 'a1', {
        lastTriggeredAt: 7,
        silencedUntil: 9,
        fingerprints: '{"x":1}',
      });
      expect(await other.alerts.state('acme', 'a1')).toMatchObject({
        lastTriggeredAt: 7,
        lastSatisfiedAt: 0,
        silencedUntil: 9,
        fingerprints: '{"x":1}',
      });
      expect(await s.alerts.reschedule('acme', 'a1', 1)).toBe(true);
      expect(await s.alerts.reschedule('acme', 'zz', 1)).toBe(false);
      expect((await s.alerts.states('acme')).length).toBe(4);
    });
  });

  describe('alert destinations and templates', () => {
    it('keeps named documents per org', async () => {
      const s = store();
      await seed(s);
      for (const repo of [s.alertDestinations, s.alertTemplates]) {
        const d = await repo.create({ org: 'acme', name: 'hook', kind: 'alert', data: '{"a":1}' });
        expect(d).toMatchObject({ name: 'hook', kind: 'alert', data: '{"a":1}' });
        await repo.create({ org: 'acme', name: 'pipe', kind: 'pipeline', data: '{}' });
        await expect(
          repo.create({ org: 'acme', name: 'hook', kind: 'alert', data: '{}' }),
        ).rejects.toMatchObject({
          code: 'ALREADY_EXISTS',
        });
        expect((await repo.list('acme')).map((x) => x.name)).toEqual(['hook', 'pipe']);
        expect((await repo.list('acme', 'pipeline')).map((x) => x.name)).toEqual(['pipe']);
        expect(await repo.get('other', 'hook')).toBeUndefined();
        expect((await repo.update('acme', 'hook', 'alert', '{"a":2}')).data).toBe('{"a":2}');
        await expect(repo.update('acme', 'none', 'alert', '{}')).rejects.toMatchObject({
          code: 'NOT_FOUND',
        });
        expect(await repo.delete('acme', ['hook', 'none'])).toEqual(['hook']);
      }
    });
  });

  describe('alert history', () => {
    it('pages, filters and sorts entries', async () => {
      const s = store();
      const entry = (i: number, alertId: string, status: string) => ({
        org: 'acme',
        entryId: `e${i}`,
        alertId,
        alertName: alertId === 'a1' ? 'one' : 'two',
        timestamp: i * 1_000,
        status,
        isRealTime: false,
        startTime: 0,
        endTime: i,
        rowsCount: i,
        evaluationMs: 3,
        error: '',
        node: 'n',
      });
      for (let i = 1; i <= 5; i++)
        await s.alertHistory.add(entry(i, i % 2 ? 'a1' : 'a2', i === 3 ? 'ok' : 'firing'));
      const base = { sortBy: 'timestamp', sortOrder: 'desc', from: 0, size: 2 } as const;
      const page = await s.alertHistory.query('acme', base);
      expect(page.total).toBe(5);
      expect(page.hits.map((h) => h.entryId)).toEqual(['e5', 'e4']);
      expect(page.hits[0]).toEqual(entry(5, 'a1', 'firing'));
      const filtered = await s.alertHistory.query('acme', {
        ...base,
        alertId: 'a1',
        sortOrder: 'asc',
        size: 10,
        startTime: 2_000,
      });
      expect(filtered.hits.map((h) => h.entryId)).toEqual(['e3', 'e5']);
      expect((await s.alertHistory.query('other', base)).total).toBe(0);
    });
  });
}
