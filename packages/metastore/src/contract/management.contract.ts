import { describe, expect, it } from 'vitest';
import type { IngestionToken } from '../management-store.js';
import type { ContractContext } from './contract-context.js';

function token(
  org: string,
  name: string,
  value: string,
): Omit<IngestionToken, 'createdAt' | 'updatedAt'> {
  return {
    org,
    name,
    token: value,
    description: `${name} token`,
    isDefault: name === 'default',
    enabled: true,
    createdBy: 'root@example.com',
  };
}

export function managementContract({ store, clock }: ContractContext): void {
  describe('ingestionTokens', () => {
    const orgs = async () => {
      await store().orgs.create({ identifier: 'acme', name: 'Acme', type: 'custom' });
      await store().orgs.create({ identifier: 'other', name: 'Other', type: 'custom' });
    };

    it('creates, gets and lists tokens per org, default first then newest first', async () => {
      await orgs();
      const created = await store().ingestionTokens.create(token('acme', 'default', 'o2oi_a'));
      expect(created).toEqual({
        ...token('acme', 'default', 'o2oi_a'),
        createdAt: clock.now,
        updatedAt: clock.now,
      });
      clock.now += 10;
      await store().ingestionTokens.create(token('acme', 'ci', 'o2oi_b'));
      clock.now += 10;
      await store().ingestionTokens.create(token('acme', 'edge', 'o2oi_c'));
      await store().ingestionTokens.create(token('other', 'ci', 'o2oi_d'));
      expect((await store().ingestionTokens.list('acme')).map((t) => t.name)).toEqual([
        'default',
        'edge',
        'ci',
      ]);
      expect((await store().ingestionTokens.list('other')).map((t) => t.token)).toEqual(['o2oi_d']);
      expect(await store().ingestionTokens.get('acme', 'ci')).toMatchObject({ token: 'o2oi_b' });
      expect(await store().ingestionTokens.get('other', 'edge')).toBeUndefined();
      expect(await store().ingestionTokens.list('nobody')).toEqual([]);
    });

    it('refuses a duplicate name in one org and an unknown org', async () => {
      await orgs();
      await store().ingestionTokens.create(token('acme', 'ci', 'o2oi_a'));
      await expect(
        store().ingestionTokens.create(token('acme', 'ci', 'o2oi_b')),
      ).rejects.toMatchObject({ code: 'ALREADY_EXISTS' });
      await expect(
        store().ingestionTokens.create(token('acme', 'dup', 'o2oi_a')),
      ).rejects.toMatchObject({ code: 'ALREADY_EXISTS' });
      await expect(
        store().ingestionTokens.create(token('ghost', 'ci', 'o2oi_c')),
      ).rejects.toMatchObject({ code: 'NOT_FOUND' });
      expect((await store().ingestionTokens.get('acme', 'ci'))?.token).toBe('o2oi_a');
    });

    it('finds a token by its value, enabled or not, and not by a near miss', async () => {
      await orgs();
      await store().ingestionTokens.create(token('acme', 'ci', 'o2oi_secret'));
      expect(await store().ingestionTokens.findByValue('o2oi_secret')).toMatchObject({
        org: 'acme',
        name: 'ci',
        enabled: true,
      });
      clock.now += 5;
      const disabled = await store().ingestionTokens.setEnabled('acme', 'ci', false);
      expect(disabled).toMatchObject({ enabled: false, updatedAt: clock.now });
      expect(await store().ingestionTokens.findByValue('o2oi_secret')).toMatchObject({
        enabled: false,
      });
      expect(await store().ingestionTokens.findByValue('o2oi_secreT')).toBeUndefined();
      expect(await store().ingestionTokens.findByValue('')).toBeUndefined();
      expect((await store().ingestionTokens.setEnabled('acme', 'ci', true)).enabled).toBe(true);
      await expect(
        store().ingestionTokens.setEnabled('acme', 'missing', true),
      ).rejects.toMatchObject({ code: 'NOT_FOUND' });
    });

    it('rotates a value so the old one no longer finds it, and deletes', async () => {
      await orgs();
      await store().ingestionTokens.create(token('acme', 'ci', 'o2oi_old'));
      const rotated = await store().ingestionTokens.rotate('acme', 'ci', 'o2oi_new');
      expect(rotated).toMatchObject({ name: 'ci', token: 'o2oi_new', description: 'ci token' });
      expect(await store().ingestionTokens.findByValue('o2oi_old')).toBeUndefined();
      expect(await store().ingestionTokens.findByValue('o2oi_new')).toMatchObject({ name: 'ci' });
      await expect(store().ingestionTokens.rotate('other', 'ci', 'o2oi_x')).rejects.toMatchObject({
        code: 'NOT_FOUND',
      });
      expect(await store().ingestionTokens.delete('other', 'ci')).toBe(false);
      expect(await store().ingestionTokens.delete('acme', 'ci')).toBe(true);
      expect(await store().ingestionTokens.delete('acme', 'ci')).toBe(false);
      expect(await store().ingestionTokens.findByValue('o2oi_new')).toBeUndefined();
    });
  });

  describe('shortUrls', () => {
    it('stores a URL per org once: the first writer of an id wins', async () => {
      expect(await store().shortUrls.put('acme', 'abc', 'https://a.example/x')).toBe(
        'https://a.example/x',
      );
      expect(await store().shortUrls.put('acme', 'abc', 'https://a.example/x')).toBe(
        'https://a.example/x',
      );
      expect(await store().shortUrls.put('acme', 'abc', 'https://evil.example/')).toBe(
        'https://a.example/x',
      );
      expect(await store().shortUrls.get('acme', 'abc')).toBe('https://a.example/x');
      expect(await store().shortUrls.get('other', 'abc')).toBeUndefined();
      expect(await store().shortUrls.put('other', 'abc', 'https://b.example/')).toBe(
        'https://b.example/',
      );
      expect(await store().shortUrls.get('acme', 'missing')).toBeUndefined();
    });
  });
}
