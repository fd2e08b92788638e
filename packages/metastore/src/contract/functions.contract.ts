import { describe, expect, it } from 'vitest';
import type { FunctionDefinition } from '@o2/domain';
import type { ContractContext } from './contract-context.js';

function vrl(name: string, source = '.a = 1'): FunctionDefinition {
  return { name, function: source, params: 'row', numArgs: 0, transType: 0 };
}

export function functionsContract({ store, clock }: ContractContext): void {
  describe('functions', () => {
    it('creates, gets and lists an org’s functions by name, kept apart from other orgs', async () => {
      const created = await store().functions.create('acme', vrl('b_fn', '.x = "é\\n"'));
      expect(created).toEqual({
        ...vrl('b_fn', '.x = "é\\n"'),
        org: 'acme',
        createdAt: clock.now,
        updatedAt: clock.now,
      });
      expect(created).not.toHaveProperty('streams');
      const js: FunctionDefinition = {
        name: 'a_js',
        function: 'function (row) { return row; }',
        params: 'row',
        numArgs: 1,
        transType: 1,
        streams: [
          {
            stream: 'app',
            order: 1,
            streamType: 'logs',
            isRemoved: false,
            applyBeforeFlattening: true,
          },
        ],
      };
      await store().functions.create('acme', js);
      await store().functions.create('other', vrl('b_fn', '.other = true'));
      expect((await store().functions.list('acme')).map((f) => f.name)).toEqual(['a_js', 'b_fn']);
      expect(await store().functions.get('acme', 'a_js')).toMatchObject({ ...js, org: 'acme' });
      expect((await store().functions.get('other', 'b_fn'))?.function).toBe('.other = true');
      expect(await store().functions.get('acme', 'missing')).toBeUndefined();
      expect(await store().functions.get('nobody', 'a_js')).toBeUndefined();
      expect(await store().functions.list('nobody')).toEqual([]);
    });

    it('refuses a duplicate name in one org with ALREADY_EXISTS, leaving the first', async () => {
      await store().functions.create('acme', vrl('f', '.first = 1'));
      await expect(store().functions.create('acme', vrl('f', '.second = 2'))).rejects.toMatchObject(
        { code: 'ALREADY_EXISTS' },
      );
      expect((await store().functions.get('acme', 'f'))?.function).toBe('.first = 1');
    });

    it('updates a function in place (createdAt kept) and refuses an unknown one', async () => {
      const first = await store().functions.create('acme', vrl('f'));
      clock.now += 1000;
      const updated = await store().functions.update('acme', {
        ...vrl('f', 'row.a = 2'),
        transType: 1,
        numArgs: 2,
        streams: [],
      });
      expect(updated).toMatchObject({
        function: 'row.a = 2',
        transType: 1,
        numArgs: 2,
        streams: [],
        createdAt: first.createdAt,
        updatedAt: clock.now,
      });
      expect(await store().functions.get('acme', 'f')).toEqual(updated);
      await expect(store().functions.update('other', vrl('f'))).rejects.toMatchObject({
        code: 'NOT_FOUND',
      });
      await expect(store().functions.update('acme', vrl('g'))).rejects.toMatchObject({
        code: 'NOT_FOUND',
      });
    });

    it('deletes one org’s function only, and says whether it existed', async () => {
      await store().functions.create('acme', vrl('f'));
      await store().functions.create('other', vrl('f'));
      expect(await store().functions.delete('acme', 'f')).toBe(true);
      expect(await store().functions.delete('acme', 'f')).toBe(false);
      expect(await store().functions.get('acme', 'f')).toBeUndefined();
      expect(await store().functions.get('other', 'f')).toBeDefined();
      // The name is free again.
      await store().functions.create('acme', vrl('f', '.again = 1'));
      expect((await store().functions.get('acme', 'f'))?.function).toBe('.again = 1');
    });
  });
}
