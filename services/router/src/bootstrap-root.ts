import type { Config } from '@o2/config';
import { DEFAULT_ORG, META_ORG, normalizeEmail } from '@o2/domain';
import { AppError } from '@o2/errors';
import type { Logger } from '@o2/logger';
import type { MetaStore, User } from '@o2/metastore';
import { newPasscode } from './auth/passcode.js';
import { hashPassword } from './auth/password-hash.js';

export interface BootstrapRootDeps {
  metaStore: MetaStore;
  config: Config;
  logger: Logger;
}

function alreadyExists(error: unknown): boolean {
  return error instanceof AppError && error.code === 'ALREADY_EXISTS';
}

/**
 * Creates the root user from ZO_ROOT_USER_EMAIL/ZO_ROOT_USER_PASSWORD if none exists. Another
 * router starting at the same moment may win the race; then its root is the root.
 */
async function ensureRootUser(
  deps: BootstrapRootDeps,
): Promise<{ root: User; outcome: 'created' | 'existed' | 'lost-race' }> {
  const { metaStore, config } = deps;
  const existing = await metaStore.users.getRoot();
  if (existing !== undefined) return { root: existing, outcome: 'existed' };
  const email = normalizeEmail(config.ZO_ROOT_USER_EMAIL);
  const password = config.ZO_ROOT_USER_PASSWORD;
  if (email === '' || password === '') {
    throw new AppError(
      'FAILED_PRECONDITION',
      'No root user exists yet: set ZO_ROOT_USER_EMAIL and ZO_ROOT_USER_PASSWORD for the first start',
    );
  }
  try {
    const root = await metaStore.users.create({
      email,
      firstName: 'root',
      lastName: '',
      passwordHash: await hashPassword(password),
      isRoot: true,
    });
    return { root, outcome: 'created' };
  } catch (error) {
    if (!alreadyExists(error)) throw error;
    const winner = await metaStore.users.getRoot();
    if (winner === undefined) {
      throw new AppError(
        'FAILED_PRECONDITION',
        `Cannot create the root user: ${email} already exists as a regular user`,
      );
    }
    return { root: winner, outcome: 'lost-race' };
  }
}

/**
 * Run once before listening: ensures the `default` and `_meta` orgs and the root user, with
 * root a member of `default` holding ZO_ROOT_USER_TOKEN (or a random passcode). An existing
 * root is never changed, whatever the environment says on later starts.
 */
export async function bootstrapRoot(deps: BootstrapRootDeps): Promise<void> {
  const { metaStore, config, logger } = deps;
  await metaStore.orgs.ensure({ identifier: DEFAULT_ORG, name: DEFAULT_ORG, type: 'default' });
  await metaStore.orgs.ensure({ identifier: META_ORG, name: META_ORG, type: 'default' });
  const { root, outcome } = await ensureRootUser(deps);
  // The winner of a race joins root to `default`, so two routers never write two passcodes. A
  // later start repairs a root whose creator stopped between creating it and joining it.
  const mayJoin = outcome !== 'lost-race';
  if (mayJoin && (await metaStore.users.getMembership(DEFAULT_ORG, root.email)) === undefined) {
    const passcode = config.ZO_ROOT_USER_TOKEN === '' ? newPasscode() : config.ZO_ROOT_USER_TOKEN;
    await metaStore.users.putMembership({
      org: DEFAULT_ORG,
      email: root.email,
      role: 'root',
      passcode,
    });
  }
  if (outcome === 'created') logger.info({ email: root.email }, 'created root user');
}
