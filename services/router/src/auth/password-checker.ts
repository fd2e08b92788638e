import { createHmac, randomBytes } from 'node:crypto';
import { BoundedMap } from '@o2/bounded-map';
import type { User } from '@o2/metastore';
import { verifyPassword } from './password-hash.js';

export interface PasswordChecker {
  /** True when `password` is the user's. `undefined` user: same cost, always false. */
  check(user: User | undefined, password: string): Promise<boolean>;
}

const MAX_REMEMBERED = 10_000;

/**
 * Basic auth sends the password on every request, and scrypt costs tens of milliseconds by
 * design, so ingest clients would spend most of their time hashing. The checker remembers
 * successful (stored hash, password) pairs under a keyed digest. The stored hash is part of the
 * key and the user row is still read on every request, so a deleted user or a changed password
 * (new salt, new hash) stops working at once; failures are never remembered.
 */
export function createPasswordChecker(): PasswordChecker {
  const key = randomBytes(32);
  const remembered = new BoundedMap<string, true>(MAX_REMEMBERED);
  // A well-formed hash nobody's password matches: unknown users cost the same scrypt run.
  const decoy = `scrypt$16384$8$1$${randomBytes(16).toString('base64')}$${randomBytes(32).toString('base64')}`;

  const digest = (passwordHash: string, password: string): string =>
    createHmac('sha256', key).update(passwordHash).update('\0').update(password).digest('base64');

  return {
    async check(user, password) {
      if (password === '') return false;
      if (user === undefined) {
        await verifyPassword(password, decoy);
        return false;
      }
      const id = digest(user.passwordHash, password);
      if (remembered.has(id)) return true;
      const ok = await verifyPassword(password, user.passwordHash);
      if (ok) remembered.set(id, true);
      return ok;
    },
  };
}
