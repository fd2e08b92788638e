import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '@o2/logger';
import type { MetaStore } from '@o2/metastore';
import { verifyPassword } from './auth/password-hash.js';
import { bootstrapRoot } from './bootstrap-root.js';
import {
  ROOT_EMAIL,
  ROOT_PASSWORD,
  makeDbDir,
  openStore,
  testConfig,
} from './test-support/start-router.js';

const logger = createLogger({ level: 'silent' });

describe('bootstrapRoot', () => {
  let dir: { path: string; remove(): Promise<void> };
  const stores: MetaStore[] = [];
  const open = async (): Promise<MetaStore> => {
    const store = await openStore(dir.path);
    stores.push(store);
    return store;
  };

  beforeEach(async () => {
    dir = await makeDbDir();
  });
  afterEach(async () => {
    for (const store of stores.splice(0)) await store.close();
    await dir.remove();
  });

  it('refuses a fresh store without root credentials, naming both settings', async () => {
    const store = await open();
    const config = testConfig(dir.path, { ZO_ROOT_USER_EMAIL: '', ZO_ROOT_USER_PASSWORD: '' });
    const failure = bootstrapRoot({ metaStore: store, config, logger });
    await expect(failure).rejects.toMatchObject({ code: 'FAILED_PRECONDITION' });
    await expect(failure).rejects.toThrow(/ZO_ROOT_USER_EMAIL.*ZO_ROOT_USER_PASSWORD/);
    expect(await store.users.getRoot()).toBeUndefined();
  });

  it('creates the default and _meta orgs and root as root of default with the fixed token', async () => {
    const store = await open();
    const config = testConfig(dir.path, { ZO_ROOT_USER_TOKEN: 'fixed-root-token-123456' });
    await bootstrapRoot({ metaStore: store, config, logger });
    expect((await store.orgs.get('default'))?.type).toBe('default');
    expect(await store.orgs.get('_meta')).toBeDefined();
    const root = await store.users.getRoot();
    expect(root?.email).toBe(ROOT_EMAIL);
    expect(root?.passwordHash.startsWith('scrypt$')).toBe(true);
    expect(await verifyPassword(ROOT_PASSWORD, root?.passwordHash ?? '')).toBe(true);
    const membership = await store.users.getMembership('default', ROOT_EMAIL);
    expect(membership).toMatchObject({ role: 'root', passcode: 'fixed-root-token-123456' });
  });

  it('keeps the existing root on a restart with different settings', async () => {
    const first = await open();
    await bootstrapRoot({ metaStore: first, config: testConfig(dir.path), logger });
    const before = await first.users.getMembership('default', ROOT_EMAIL);
    await first.close();
    stores.splice(stores.indexOf(first), 1);

    const second = await open();
    const changed = testConfig(dir.path, {
      ZO_ROOT_USER_EMAIL: 'other@example.com',
      ZO_ROOT_USER_PASSWORD: 'Different#Pass9',
      ZO_ROOT_USER_TOKEN: 'another-token-abcdefgh',
    });
    await bootstrapRoot({ metaStore: second, config: changed, logger });
    const root = await second.users.getRoot();
    expect(root?.email).toBe(ROOT_EMAIL);
    expect(await verifyPassword(ROOT_PASSWORD, root?.passwordHash ?? '')).toBe(true);
    expect(await second.users.get('other@example.com')).toBeUndefined();
    expect((await second.users.getMembership('default', ROOT_EMAIL))?.passcode).toBe(
      before?.passcode,
    );
    // And a restart with no root settings at all is fine once root exists.
    const bare = testConfig(dir.path, { ZO_ROOT_USER_EMAIL: '', ZO_ROOT_USER_PASSWORD: '' });
    await expect(
      bootstrapRoot({ metaStore: second, config: bare, logger }),
    ).resolves.toBeUndefined();
  });

  it('lets two routers bootstrap the same store at once and ends with one root', async () => {
    const [a, b] = [await open(), await open()];
    const config = testConfig(dir.path);
    await Promise.all([
      bootstrapRoot({ metaStore: a, config, logger }),
      bootstrapRoot({ metaStore: b, config, logger }),
    ]);
    expect((await a.users.getRoot())?.email).toBe(ROOT_EMAIL);
    const members = await a.users.listMembers('default');
    expect(members.map((m) => m.user.email)).toEqual([ROOT_EMAIL]);
  });
});
