import { createHash, randomBytes } from 'node:crypto';
import type { Config } from '@o2/config';

/** O2's login cookie name; the UI sends it back on every call. */
export const AUTH_COOKIE = 'auth_tokens';

const SESSION_PREFIX = 'session ';

/**
 * A short digest of the stored password hash. It is part of the session id, so changing a
 * password (which always draws a new salt) invalidates every session opened with the old one,
 * without the session table needing to know about passwords.
 */
function passwordFingerprint(passwordHash: string): string {
  return createHash('sha256').update(passwordHash).digest('base64url').slice(0, 16);
}

/** A new session id: 32 random bytes plus the password fingerprint. */
export function newSessionId(passwordHash: string): string {
  return `${randomBytes(32).toString('hex')}.${passwordFingerprint(passwordHash)}`;
}

export function sessionMatchesPassword(sessionId: string, passwordHash: string): boolean {
  const dot = sessionId.lastIndexOf('.');
  return dot > 0 && sessionId.slice(dot + 1) === passwordFingerprint(passwordHash);
}

/** O2's cookie value: base64 of `{"access_token","refresh_token"}` (we carry a session id, never a password). */
export function encodeAuthCookie(sessionId: string): string {
  const json = JSON.stringify({ access_token: `${SESSION_PREFIX}${sessionId}`, refresh_token: '' });
  return Buffer.from(json, 'utf8').toString('base64');
}

/** The session id inside an `auth_tokens` value, or undefined for anything else. */
export function decodeAuthCookie(value: string): string | undefined {
  try {
    const parsed: unknown = JSON.parse(
      Buffer.from(decodeURIComponent(value), 'base64').toString('utf8'),
    );
    if (typeof parsed !== 'object' || parsed === null) return undefined;
    const token = (parsed as { access_token?: unknown }).access_token;
    if (typeof token !== 'string' || !token.startsWith(SESSION_PREFIX)) return undefined;
    const id = token.slice(SESSION_PREFIX.length);
    return id === '' ? undefined : id;
  } catch {
    return undefined;
  }
}

/** One cookie's value from a `Cookie` header. */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (header === undefined) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

type CookieSettings = Pick<Config, 'ZO_COOKIE_SAME_SITE_LAX' | 'ZO_COOKIE_SECURE_ONLY'>;

function attributes(config: CookieSettings, maxAgeSeconds: number): string {
  const sameSite = config.ZO_COOKIE_SAME_SITE_LAX ? 'Lax' : 'Strict';
  const secure = config.ZO_COOKIE_SECURE_ONLY ? '; Secure' : '';
  return `HttpOnly; Path=/; SameSite=${sameSite}; Max-Age=${maxAgeSeconds}${secure}`;
}

export function authCookieHeader(config: Config, sessionId: string): string {
  return `${AUTH_COOKIE}=${encodeAuthCookie(sessionId)}; ${attributes(config, config.ZO_COOKIE_MAX_AGE)}`;
}

export function clearedAuthCookieHeader(config: Config): string {
  return `${AUTH_COOKIE}=; ${attributes(config, 0)}`;
}
