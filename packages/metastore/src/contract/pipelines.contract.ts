import { describe, expect, it } from 'vitest';
import type { PipelineContent } from '../meta-store.js';
import type { ContractContext } from './contract-context.js';

function content(name: string, over: Partial<PipelineContent> = {}): PipelineContent {
  return {
    name,
    enabled: true,
    sourceType: 'realtime',
    streamType: 'logs',
    streamName: `src_${name}`,
    data: JSON.stringify({ name }),
    ...over,
  };
}

export function pipelinesContract({ store, clock }: ContractContext): void {
  describe('pipelines', () => {
    it('creates, reads, lists by name and keeps the document text', async () => {
      const created = await store().pipelines.create({
        org: 'acme',
        pipelineId: 'p2',
        ...content('b'),
      });
      expect(created).toMatchObject({ version: 1, enabled: true, createdAt: clock.now });
      await store().pipelines.create({
        org: 'acme',
        pipelineId: 'p1',
        ...content('a', { sourceType: 'scheduled', streamName: '' }),
      });
      await store().pipelines.create({ org: 'other', pipelineId: 'p1', ...content('a') });
      expect((await store().pipelines.get('acme', 'p2'))?.data).toBe('{"name":"b"}');
      expect((await store().pipelines.list('acme')).map((p) => p.name)).toEqual(['a', 'b']);
      expect(
        (await store().pipelines.list('acme', { sourceType: 'scheduled' })).map(
          (p) => p.pipelineId,
        ),
      ).toEqual(['p1']);
      expect((await store().pipelines.listEnabledScheduled()).map((p) => p.org)).toEqual(['acme']);
      await store().pipelines.setEnabled('acme', 'p1', false);
      expect(await store().pipelines.listEnabledScheduled()).toEqual([]);
      expect(await store().pipelines.get('acme', 'nope')).toBeUndefined();
    });

    it('refuses a second pipeline of the same name or the same realtime source in an org', async () => {
      await store().pipelines.create({ org: 'acme', pipelineId: 'p1', ...content('a') });
      await expect(
        store().pipelines.create({
          org: 'acme',
          pipelineId: 'p2',
          ...content('a', { streamName: 'x' }),
        }),
      ).rejects.toThrow('Pipeline with the same name already exists');
      await expect(
        store().pipelines.create({
          org: 'acme',
          pipelineId: 'p3',
          ...content('c', { streamName: 'src_a' }),
        }),
      ).rejects.toThrow('A realtime pipeline with the same source stream already exists');
      // Scheduled pipelines have no realtime source to clash on.
      await store().pipelines.create({
        org: 'acme',
        pipelineId: 'p4',
        ...content('d', { sourceType: 'scheduled', streamName: 'src_a' }),
      });
    });

    it('updates with the version check, toggles enabled and lists enabled realtime ones', async () => {
      await store().pipelines.create({ org: 'acme', pipelineId: 'p1', ...content('a') });
      await store().pipelines.create({
        org: 'acme',
        pipelineId: 'p2',
        ...content('b', { enabled: false }),
      });
      clock.now += 5;
      const updated = await store().pipelines.update(
        'acme',
        'p1',
        content('a2', { data: '{}' }),
        1,
      );
      expect(updated).toMatchObject({ name: 'a2', version: 2, updatedAt: clock.now, data: '{}' });
      await expect(store().pipelines.update('acme', 'p1', content('a3'), 1)).rejects.toMatchObject({
        code: 'CONFLICT',
      });
      await expect(store().pipelines.update('acme', 'zz', content('z'))).rejects.toMatchObject({
        code: 'NOT_FOUND',
      });
      await expect(store().pipelines.update('acme', 'p2', content('a2'))).rejects.toMatchObject({
        code: 'ALREADY_EXISTS',
      });
      expect((await store().pipelines.listEnabledRealtime()).map((p) => p.pipelineId)).toEqual([
        'p1',
      ]);
      await store().pipelines.setEnabled('acme', 'p2', true);
      await store().pipelines.setEnabled('acme', 'p1', false);
      expect((await store().pipelines.listEnabledRealtime()).map((p) => p.pipelineId)).toEqual([
        'p2',
      ]);
      await expect(store().pipelines.setEnabled('acme', 'zz', true)).rejects.toMatchObject({
        code: 'NOT_FOUND',
      });
    });

    it('deletes and reports which ids were there', async () => {
      await store().pipelines.create({ org: 'acme', pipelineId: 'p1', ...content('a') });
      await store().pipelines.create({ org: 'other', pipelineId: 'p2', ...content('a') });
      expect(await store().pipelines.delete('acme', ['p1', 'p2', 'nope'])).toEqual(['p1']);
      expect(await store().pipelines.get('acme', 'p1')).toBeUndefined();
      expect(await store().pipelines.get('other', 'p2')).toBeDefined();
    });
  });
}
