import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IngestionToken, MetaStore, User } from '@o2/metastore';

/** O2's prefix of org ingestion tokens: a Basic password with it is looked up as a token. */
export const INGESTION_TOKEN_PREFIX = 'o2oi_';

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** `length` random alphanumerics, each equally likely (rejection sampling: 248 = 4 × 62). */
export function randomAlphanumeric(length: number): string {
  let out = '';
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      if (byte >= 248) continue;
      out += ALPHANUMERIC[byte % ALPHANUMERIC.length];
      if (out.length === length) break;
    }
  }
  return out;
}

/** A new token as O2 makes them: `o2oi_` and 32 random alphanumerics (about 190 bits). */
export function newIngestionToken(): string {
  return INGESTION_TOKEN_PREFIX + randomAlphanumeric(32);
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

/** Constant-time equality of two secrets (of any lengths). */
export function secretsEqual(a: string, b: string): boolean {
  return timingSafeEqual(digest(a), digest(b));
}

/**
 * The enabled token whose value `secret` is, or undefined. The store finds it by a hash of the
 * value; the final comparison is constant-time too.
 */
export async function findEnabledToken(
  metaStore: MetaStore,
  secret: string,
): Promise<IngestionToken | undefined> {
  if (!secret.startsWith(INGESTION_TOKEN_PREFIX)) return undefined;
  const token = await metaStore.ingestionTokens.findByValue(secret);
  if (token === undefined || !secretsEqual(token.token, secret) || !token.enabled) return undefined;
  return token;
}

/**
 * Who an ingestion token acts as: no person, so a principal named after the token that is no
 * member of anything (the org check lets it into its own org only, and only for ingestion).
 */
export function tokenPrincipal(token: IngestionToken): User {
  return {
    email: `ingestion-token:${token.org}/${token.name}`,
    firstName: token.name,
    lastName: '',
    passwordHash: '',
    isRoot: false,
    createdAt: token.createdAt,
    updatedAt: token.updatedAt,
  };
}
