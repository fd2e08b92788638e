import { createHash, timingSafeEqual } from 'node:crypto';

/** The metadata value a client sends for `token`. */
export function bearer(token: string): string {
  return `Bearer ${token}`;
}

const digest = (text: string): Buffer => createHash('sha256').update(text).digest();

/**
 * Whether `header` is `Bearer <token>`. Compared through fixed-length digests in constant
 * time, so neither the token's content nor its length leaks through response timing.
 */
export function bearerMatches(header: string | undefined, token: string): boolean {
  return header !== undefined && timingSafeEqual(digest(header), digest(bearer(token)));
}
