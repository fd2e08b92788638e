import { describe, expect, it } from 'vitest';
import type { ContractContext } from './contract-context.js';

export function identityContract({ store, clock }: ContractContext): void {
  const user = (email: string, isRoot = false) => ({
    email,
    firstName: 'First',
    lastName: 'Last',
    passwordHash: '$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA',
    isRoot,
  });

  describe('orgs', () => {
    it('creates, gets and lists organizations sorted by identifier', async () => {
      const created = await store().orgs.create({
        identifier: 'zeta',
        name: 'Zeta',
        type: 'custom',
      });
      expect(created).toEqual({
        identifier: 'zeta',
        name: 'Zeta',
        type: 'custom',
        createdAt: clock.now,
      });
      await store().orgs.create({ identifier: 'default', name: 'default', type: 'default' });
      expect(await store().orgs.get('zeta')).toEqual(created);
      expect(await store().orgs.get('nope')).toBeUndefined();
      expect((await store().orgs.list()).map((o) => o.identifier)).toEqual(['default', 'zeta']);
    });

    it('rejects a taken identifier with ALREADY_EXISTS', async () => {
      await store().orgs.create({ identifier: 'acme', name: 'Acme', type: 'custom' });
      await expect(
        store().orgs.create({ identifier: 'acme', name: 'Other', type: 'custom' }),
      ).rejects.toMatchObject({ code: 'ALREADY_EXISTS' });
    });

    it('ensure creates once and then returns the stored org unchanged', async () => {
      const first = await store().orgs.ensure({
        identifier: 'default',
        name: 'default',
        type: 'default',
      });
      clock.now += 1000;
      const second = await store().orgs.ensure({
        identifier: 'default',
        name: 'renamed',
        type: 'custom',
      });
      expect(second).toEqual(first);
      expect(await store().orgs.list()).toHaveLength(1);
    });
  });

  describe('users', () => {
    it('stores e-mails lower-cased and finds them whatever the case', async () => {
      const created = await store().users.create(user('Root@Example.COM', true));
      expect(created).toMatchObject({
        email: 'root@example.com',
        isRoot: true,
        createdAt: clock.now,
      });
      expect(created.updatedAt).toBe(clock.now);
      expect(await store().users.get('ROOT@example.com')).toEqual(created);
      expect(await store().users.get('other@example.com')).toBeUndefined();
      await expect(store().users.create(user('root@EXAMPLE.com'))).rejects.toMatchObject({
        code: 'ALREADY_EXISTS',
      });
    });

    it('allows exactly one root', async () => {
      expect(await store().users.getRoot()).toBeUndefined();
      await store().users.create(user('root@example.com', true));
      await store().users.create(user('plain@example.com'));
      await expect(store().users.create(user('second@example.com', true))).rejects.toMatchObject({
        code: 'ALREADY_EXISTS',
      });
      expect((await store().users.getRoot())?.email).toBe('root@example.com');
      expect((await store().users.get('plain@example.com'))?.isRoot).toBe(false);
    });

    it('updates only the given fields and bumps updatedAt', async () => {
      await store().users.create(user('a@example.com'));
      clock.now += 5000;
      const updated = await store().users.update('A@example.com', { firstName: 'Ada' });
      expect(updated).toMatchObject({
        firstName: 'Ada',
        lastName: 'Last',
        passwordHash: user('').passwordHash,
        updatedAt: clock.now,
        createdAt: clock.now - 5000,
      });
      const rehashed = await store().users.update('a@example.com', { passwordHash: 'new-hash' });
      expect(rehashed).toMatchObject({ firstName: 'Ada', passwordHash: 'new-hash' });
      await expect(
        store().users.update('ghost@example.com', { firstName: 'x' }),
      ).rejects.toMatchObject({
        code: 'NOT_FOUND',
      });
    });

    it('deletes a user with their memberships and sessions', async () => {
      await store().orgs.create({ identifier: 'default', name: 'default', type: 'default' });
      await store().users.create(user('gone@example.com'));
      await store().users.create(user('kept@example.com'));
      for (const email of ['gone@example.com', 'kept@example.com']) {
        await store().users.putMembership({
          org: 'default',
          email,
          role: 'admin',
          passcode: `p-${email}`,
        });
        await store().sessions.create({
          id: `s-${email}`,
          email,
          createdAt: clock.now,
          expiresAt: clock.now + 60_000,
        });
      }
      await store().users.delete('GONE@example.com');
      expect(await store().users.get('gone@example.com')).toBeUndefined();
      expect(await store().users.listMemberships('gone@example.com')).toEqual([]);
      expect(await store().sessions.get('s-gone@example.com', clock.now)).toBeUndefined();
      expect(await store().sessions.get('s-kept@example.com', clock.now)).toBeDefined();
      expect((await store().users.listMembers('default')).map((m) => m.user.email)).toEqual([
        'kept@example.com',
      ]);
      // The e-mail is free again.
      await store().users.create(user('gone@example.com'));
      await expect(store().users.delete('ghost@example.com')).rejects.toMatchObject({
        code: 'NOT_FOUND',
      });
    });

    it('adds, replaces, lists and removes memberships', async () => {
      await store().orgs.create({ identifier: 'default', name: 'default', type: 'default' });
      await store().orgs.create({ identifier: 'acme', name: 'Acme', type: 'custom' });
      await store().users.create(user('b@example.com'));
      await store().users.create(user('a@example.com'));
      const first = await store().users.putMembership({
        org: 'default',
        email: 'B@example.com',
        role: 'viewer',
        passcode: 'p1',
      });
      expect(first).toEqual({
        org: 'default',
        email: 'b@example.com',
        role: 'viewer',
        passcode: 'p1',
        createdAt: clock.now,
      });
      clock.now += 1000;
      const replaced = await store().users.putMembership({
        org: 'default',
        email: 'b@example.com',
        role: 'admin',
        passcode: 'p2',
      });
      expect(replaced).toEqual({ ...first, role: 'admin', passcode: 'p2' });
      await store().users.putMembership({
        org: 'acme',
        email: 'b@example.com',
        role: 'user',
        passcode: 'p3',
      });
      await store().users.putMembership({
        org: 'default',
        email: 'a@example.com',
        role: 'editor',
        passcode: 'p4',
      });

      expect(await store().users.getMembership('default', 'b@EXAMPLE.com')).toEqual(replaced);
      expect(await store().users.getMembership('acme', 'a@example.com')).toBeUndefined();
      const members = await store().users.listMembers('default');
      expect(members.map((m) => [m.user.email, m.membership.role, m.user.firstName])).toEqual([
        ['a@example.com', 'editor', 'First'],
        ['b@example.com', 'admin', 'First'],
      ]);
      expect((await store().users.listMemberships('b@example.com')).map((m) => m.org)).toEqual([
        'acme',
        'default',
      ]);

      await store().users.removeMembership('acme', 'b@example.com');
      expect(await store().users.getMembership('acme', 'b@example.com')).toBeUndefined();
      await expect(store().users.removeMembership('acme', 'b@example.com')).rejects.toMatchObject({
        code: 'NOT_FOUND',
      });
    });

    it('refuses a membership for an unknown user or org with NOT_FOUND', async () => {
      await store().orgs.create({ identifier: 'default', name: 'default', type: 'default' });
      await store().users.create(user('a@example.com'));
      await expect(
        store().users.putMembership({
          org: 'default',
          email: 'ghost@example.com',
          role: 'admin',
          passcode: 'p',
        }),
      ).rejects.toMatchObject({
        code: 'NOT_FOUND',
        message: expect.stringContaining('ghost@example.com') as unknown,
      });
      await expect(
        store().users.putMembership({
          org: 'nowhere',
          email: 'a@example.com',
          role: 'admin',
          passcode: 'p',
        }),
      ).rejects.toMatchObject({
        code: 'NOT_FOUND',
        message: expect.stringContaining('nowhere') as unknown,
      });
    });

    it('finds a membership by e-mail and passcode, and nothing for a wrong or empty one', async () => {
      await store().orgs.create({ identifier: 'default', name: 'default', type: 'default' });
      await store().users.create(user('a@example.com'));
      await store().users.create(user('b@example.com'));
      await store().users.putMembership({
        org: 'default',
        email: 'a@example.com',
        role: 'admin',
        passcode: 'secret-a',
      });
      await store().users.putMembership({
        org: 'default',
        email: 'b@example.com',
        role: 'admin',
        passcode: '',
      });
      expect(await store().users.findByPasscode('A@example.com', 'secret-a')).toMatchObject({
        org: 'default',
        email: 'a@example.com',
      });
      expect(await store().users.findByPasscode('a@example.com', 'secret-b')).toBeUndefined();
      expect(await store().users.findByPasscode('b@example.com', 'secret-a')).toBeUndefined();
      expect(await store().users.findByPasscode('b@example.com', '')).toBeUndefined();
    });
  });

  describe('sessions', () => {
    it('returns a session until it expires, then deleteExpired removes it', async () => {
      await store().users.create(user('a@example.com'));
      const session = { id: 'sid-1', email: 'a@example.com', createdAt: 1000, expiresAt: 5000 };
      await store().sessions.create(session);
      await store().sessions.create({ ...session, id: 'sid-2', expiresAt: 9000 });
      expect(await store().sessions.get('sid-1', 4999)).toEqual(session);
      expect(await store().sessions.get('sid-1', 5000)).toBeUndefined();
      expect(await store().sessions.get('missing', 0)).toBeUndefined();
      expect(await store().sessions.deleteExpired(5000)).toBe(1);
      expect(await store().sessions.deleteExpired(5000)).toBe(0);
      expect(await store().sessions.get('sid-2', 5000)).toBeDefined();
      await store().sessions.delete('sid-2');
      expect(await store().sessions.get('sid-2', 5000)).toBeUndefined();
      await store().sessions.delete('sid-2');
    });

    it('rejects a reused id and an unknown user', async () => {
      await store().users.create(user('a@example.com'));
      const session = { id: 'sid', email: 'A@example.com', createdAt: 1, expiresAt: 2 };
      await store().sessions.create(session);
      expect((await store().sessions.get('sid', 0))?.email).toBe('a@example.com');
      await expect(store().sessions.create(session)).rejects.toMatchObject({
        code: 'ALREADY_EXISTS',
      });
      await expect(
        store().sessions.create({ ...session, id: 'other', email: 'ghost@example.com' }),
      ).rejects.toMatchObject({ code: 'NOT_FOUND' });
    });
  });
}
