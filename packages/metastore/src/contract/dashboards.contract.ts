import { describe, expect, it } from 'vitest';
import type { DashboardContent, MetaStore } from '../meta-store.js';
import type { ContractContext } from './contract-context.js';

// Spacing, escapes and key order a re-serialiser would change: the store must keep them.
const DOCUMENT = '{ "title" : "Ops \\u00e9", "n": 1.0, "tabs": [], "2": "b", "1": "a" }';

function content(hash: string, data = DOCUMENT): DashboardContent {
  return {
    title: 'Ops é',
    description: 'd',
    owner: 'root@example.com',
    role: '',
    created: '2026-01-01T00:00:00+00:00',
    version: 8,
    hash,
    data,
    updatedAt: 1_700_000_000_000_000,
  };
}

async function seed(store: MetaStore, org = 'acme'): Promise<void> {
  await store.orgs.ensure({ identifier: org, name: org, type: 'custom' });
  await store.folders.ensureDefault(org, 'dashboards');
}

export function dashboardsContract({ store }: ContractContext): void {
  describe('folders', () => {
    it('ensures one default folder per org and type, first in the list', async () => {
      const s = store();
      const first = await s.folders.ensureDefault('acme', 'dashboards');
      expect(await s.folders.ensureDefault('acme', 'dashboards')).toEqual(first);
      expect(first).toMatchObject({ folderId: 'default', name: 'default', type: 'dashboards' });
      await s.folders.create({
        org: 'acme',
        type: 'dashboards',
        folderId: 'f1',
        name: 'Apps',
        description: '',
      });
      await s.folders.ensureDefault('acme', 'alerts');
      expect((await s.folders.list('acme', 'dashboards')).map((f) => f.folderId)).toEqual([
        'default',
        'f1',
      ]);
      expect((await s.folders.list('acme', 'alerts')).map((f) => f.folderId)).toEqual(['default']);
      expect(await s.folders.list('other', 'dashboards')).toEqual([]);
      expect((await s.folders.getByName('acme', 'dashboards', 'Apps'))?.folderId).toBe('f1');
    });

    it('refuses a taken name, renames, and reports a missing folder', async () => {
      const s = store();
      await s.folders.ensureDefault('acme', 'dashboards');
      const base = { org: 'acme', type: 'dashboards' as const, description: 'x' };
      await s.folders.create({ ...base, folderId: 'a', name: 'A' });
      await expect(s.folders.create({ ...base, folderId: 'b', name: 'A' })).rejects.toMatchObject({
        code: 'ALREADY_EXISTS',
      });
      await s.folders.create({ ...base, folderId: 'b', name: 'B' });
      await expect(
        s.folders.update('acme', 'dashboards', 'b', { name: 'A', description: '' }),
      ).rejects.toMatchObject({ code: 'ALREADY_EXISTS' });
      expect(
        await s.folders.update('acme', 'dashboards', 'b', { name: 'C', description: 'y' }),
      ).toMatchObject({ name: 'C', description: 'y' });
      await expect(
        s.folders.update('acme', 'dashboards', 'zz', { name: 'Z', description: '' }),
      ).rejects.toMatchObject({ code: 'NOT_FOUND' });
      await expect(s.folders.delete('acme', 'dashboards', 'zz')).rejects.toMatchObject({
        code: 'NOT_FOUND',
      });
    });

    it('keeps a folder that still holds a dashboard', async () => {
      const s = store();
      await seed(s);
      await s.folders.create({
        org: 'acme',
        type: 'dashboards',
        folderId: 'f',
        name: 'F',
        description: '',
      });
      await s.dashboards.create({ org: 'acme', dashboardId: 'd1', folderId: 'f', ...content('h') });
      await expect(s.folders.delete('acme', 'dashboards', 'f')).rejects.toMatchObject({
        code: 'FAILED_PRECONDITION',
      });
      await s.dashboards.delete('acme', ['d1']);
      await s.folders.delete('acme', 'dashboards', 'f');
      expect(await s.folders.get('acme', 'dashboards', 'f')).toBeUndefined();
    });
  });

  describe('dashboards', () => {
    it('stores the document text exactly and lists by folder and title', async () => {
      const s = store();
      await seed(s);
      const created = await s.dashboards.create({
        org: 'acme',
        dashboardId: 'd1',
        folderId: 'default',
        ...content('h1'),
      });
      expect(created.data).toBe(DOCUMENT);
      expect((await s.dashboards.get('acme', 'd1'))?.data).toBe(DOCUMENT);
      await s.dashboards.create({
        org: 'acme',
        dashboardId: 'd2',
        folderId: 'default',
        ...content('h2'),
        title: 'Billing 100%',
      });
      expect(
        (await s.dashboards.list('acme', { title: '100%' })).map((d) => d.dashboardId),
      ).toEqual(['d2']);
      expect(await s.dashboards.list('acme', { title: '1_0' })).toEqual([]);
      expect(await s.dashboards.count('acme')).toBe(2);
      expect(await s.dashboards.list('acme', { folderId: 'none' })).toEqual([]);
      expect(await s.dashboards.get('other', 'd1')).toBeUndefined();
      await expect(
        s.dashboards.create({
          org: 'acme',
          dashboardId: 'd1',
          folderId: 'default',
          ...content('x'),
        }),
      ).rejects.toMatchObject({ code: 'ALREADY_EXISTS' });
      await expect(
        s.dashboards.create({ org: 'acme', dashboardId: 'd3', folderId: 'nope', ...content('x') }),
      ).rejects.toMatchObject({ code: 'NOT_FOUND' });
    });

    it('updates only with the current hash; exactly one of two racing writers wins', async () => {
      const s = store();
      await seed(s);
      await s.dashboards.create({
        org: 'acme',
        dashboardId: 'd',
        folderId: 'default',
        ...content('h1'),
      });
      await expect(s.dashboards.update('acme', 'd', 'stale', content('h2'))).rejects.toMatchObject({
        code: 'CONFLICT',
      });
      await expect(s.dashboards.update('acme', 'x', 'h1', content('h2'))).rejects.toMatchObject({
        code: 'NOT_FOUND',
      });
      const results = await Promise.allSettled([
        s.dashboards.update('acme', 'd', 'h1', content('hA', '{"a":1}')),
        s.dashboards.update('acme', 'd', 'h1', content('hB', '{"b":1}')),
      ]);
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      const stored = await s.dashboards.get('acme', 'd');
      expect(['hA', 'hB']).toContain(stored?.hash);
    });

    it('moves all or none, and deletes with the annotations', async () => {
      const s = store();
      await seed(s);
      await s.folders.create({
        org: 'acme',
        type: 'dashboards',
        folderId: 'f',
        name: 'F',
        description: '',
      });
      for (const id of ['a', 'b'])
        await s.dashboards.create({
          org: 'acme',
          dashboardId: id,
          folderId: 'default',
          ...content(id),
        });
      await expect(s.dashboards.move('acme', ['a', 'missing'], 'f')).rejects.toMatchObject({
        code: 'NOT_FOUND',
      });
      expect((await s.dashboards.get('acme', 'a'))?.folderId).toBe('default');
      await expect(s.dashboards.move('acme', ['a'], 'nope')).rejects.toMatchObject({
        code: 'NOT_FOUND',
      });
      await expect(s.dashboards.move('acme', ['a'], 'f', 'f')).rejects.toMatchObject({
        code: 'NOT_FOUND',
      });
      await s.dashboards.move('acme', ['a', 'b'], 'f', 'default');
      expect((await s.dashboards.list('acme', { folderId: 'f' })).length).toBe(2);

      await s.annotations.create([
        {
          org: 'acme',
          dashboardId: 'a',
          annotationId: 'n1',
          startTime: 10,
          endTime: null,
          title: 't',
          text: null,
          tags: [],
          panels: ['p'],
        },
      ]);
      expect(await s.dashboards.delete('acme', ['a', 'zz'])).toEqual(['a']);
      expect(await s.annotations.list('acme', 'a', { startTime: 0, endTime: 100 })).toEqual([]);
    });
  });

  describe('annotations', () => {
    it('lists by overlap and panel, updates, takes panels off and deletes', async () => {
      const s = store();
      await seed(s);
      await s.dashboards.create({
        org: 'acme',
        dashboardId: 'd',
        folderId: 'default',
        ...content('h'),
      });
      const base = { org: 'acme', dashboardId: 'd', title: 'deploy', text: 'v2', tags: ['x'] };
      await s.annotations.create([
        { ...base, annotationId: 'a1', startTime: 100, endTime: 200, panels: ['p1', 'p2'] },
        { ...base, annotationId: 'a2', startTime: 500, endTime: null, panels: ['p2'] },
      ]);
      await expect(
        s.annotations.create([
          {
            ...base,
            dashboardId: 'nope',
            annotationId: 'a3',
            startTime: 1,
            endTime: null,
            panels: [],
          },
        ]),
      ).rejects.toMatchObject({ code: 'NOT_FOUND' });
      const ids = async (range: { startTime: number; endTime: number; panels?: string[] }) =>
        (await s.annotations.list('acme', 'd', range)).map((a) => a.annotationId);
      expect(await ids({ startTime: 150, endTime: 600 })).toEqual(['a1', 'a2']);
      expect(await ids({ startTime: 201, endTime: 499 })).toEqual([]);
      expect(await ids({ startTime: 0, endTime: 1000, panels: ['p1'] })).toEqual(['a1']);
      expect(await s.annotations.list('other', 'd', { startTime: 0, endTime: 1000 })).toEqual([]);

      const updated = await s.annotations.update('acme', 'd', 'a2', {
        startTime: 50,
        endTime: 60,
        title: 'rollback',
        text: null,
        tags: [],
        panels: ['p3'],
      });
      expect(updated).toMatchObject({ startTime: 50, endTime: 60, title: 'rollback', text: null });
      expect((await s.annotations.removePanels('acme', 'd', 'a1', ['p1'])).panels).toEqual(['p2']);
      await expect(s.annotations.removePanels('acme', 'd', 'zz', ['p1'])).rejects.toMatchObject({
        code: 'NOT_FOUND',
      });
      await s.annotations.update('acme', 'd', 'a2', {
        startTime: 50,
        endTime: 60,
        title: 'rollback',
        text: null,
        tags: [],
        panels: ['x', 'y', 'z'],
      });
      await Promise.all([
        s.annotations.removePanels('acme', 'd', 'a2', ['x']),
        s.annotations.removePanels('acme', 'd', 'a2', ['y']),
      ]);
      expect(
        (await s.annotations.list('acme', 'd', { startTime: 0, endTime: 100 }))[0]?.panels,
      ).toEqual(['z']);
      expect(await s.annotations.delete('acme', 'd', ['a1', 'zz'])).toBe(1);
      expect(await ids({ startTime: 0, endTime: 1000 })).toEqual(['a2']);
    });
  });
}
