import type { RequestHandler } from 'express';
import { normalizeEmail } from '@o2/domain';
import { AppError } from '@o2/errors';
import type { MetaStore } from '@o2/metastore';
import { parseApiPath } from '../http/api-path.js';
import { setAuthContext } from './auth-context.js';
import type { AuthContext } from './auth-context.js';
import { findEnabledToken, INGESTION_TOKEN_PREFIX, tokenPrincipal } from './ingestion-token.js';
import { isIngestionRoute } from './ingestion-routes.js';
import type { PasswordChecker } from './password-checker.js';
import {
  AUTH_COOKIE,
  decodeAuthCookie,
  readCookie,
  sessionMatchesPassword,
} from './session-cookie.js';

export interface AuthenticateDeps {
  metaStore: MetaStore;
  passwords: PasswordChecker;
  now: () => number;
}

export interface AuthenticateOptions {
  /**
   * Whether passcodes may be used: only under `/api`, where ingestion routes live. The request
   * path must then be relative to `/api`.
   */
  passcodes: boolean;
}

interface BasicCredentials {
  email: string;
  secret: string;
}

function parseBasic(header: string): BasicCredentials | undefined {
  const match = /^basic\s+(\S+)\s*$/i.exec(header);
  if (match?.[1] === undefined) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  return { email: normalizeEmail(decoded.slice(0, colon)), secret: decoded.slice(colon + 1) };
}

/** The call a credential is used for: an HTTP method and a path relative to `/api`. */
interface CallTarget {
  method: string;
  path: string;
}

async function viaBasic(
  deps: AuthenticateDeps,
  req: CallTarget,
  credentials: BasicCredentials,
  passcodes: boolean,
): Promise<AuthContext | undefined> {
  const { email, secret } = credentials;
  if (secret === '') return undefined;
  const users = deps.metaStore.users;
  if (passcodes) {
    const path = parseApiPath(req.path);
    const ingestion = path.org !== undefined && isIngestionRoute(req.method, path.rest);
    // O2 reads a password starting with `o2oi_` on an ingestion route as an org ingestion token
    // (whatever the user name): an unknown or disabled one is 401, never a password attempt.
    if (ingestion && secret.startsWith(INGESTION_TOKEN_PREFIX)) {
      const token = await findEnabledToken(deps.metaStore, secret);
      if (token === undefined || token.org !== path.org) return undefined;
      return { user: tokenPrincipal(token), method: 'ingestion_token', org: token.org };
    }
    if (email === '') return undefined;
    // The cheap lookup goes first so passcode-based ingest never pays for a scrypt run. A
    // service account's token is valid on every route of its org, a user's only on ingestion.
    if (path.org !== undefined) {
      const membership = await users.findByPasscode(email, secret);
      if (membership?.org === path.org && (ingestion || membership.role === 'service_account')) {
        const user = await users.get(email);
        if (user !== undefined) return { user, method: 'passcode', org: path.org, membership };
      }
    }
  }
  if (email === '') return undefined;
  const user = await users.get(email);
  const ok = await deps.passwords.check(user, secret);
  return ok && user !== undefined ? { user, method: 'password' } : undefined;
}

async function viaSession(
  deps: AuthenticateDeps,
  cookie: string,
): Promise<AuthContext | undefined> {
  const sessionId = decodeAuthCookie(cookie);
  if (sessionId === undefined) return undefined;
  const session = await deps.metaStore.sessions.get(sessionId, deps.now());
  if (session === undefined) return undefined;
  const user = await deps.metaStore.users.get(session.email);
  if (user === undefined || !sessionMatchesPassword(sessionId, user.passwordHash)) return undefined;
  return { user, method: 'session', sessionId };
}

/**
 * Who a Basic `authorization` value names, for a call outside HTTP (OTLP/gRPC) that stands for
 * the ingestion route `target` (so an org passcode works as it does over HTTP); undefined when
 * the credentials are missing or wrong.
 */
export async function authenticateBasic(
  deps: AuthenticateDeps,
  header: string | undefined,
  target: CallTarget,
): Promise<AuthContext | undefined> {
  const credentials = header === undefined ? undefined : parseBasic(header);
  return credentials === undefined ? undefined : viaBasic(deps, target, credentials, true);
}

/**
 * Establishes who the caller is from `Authorization: Basic` (password, or passcode on
 * ingestion routes of the passcode's own org) or the `auth_tokens` login cookie; anything else
 * is 401. Every request reads the user row, so deletions and password changes apply at once.
 */
export function createAuthenticate(
  deps: AuthenticateDeps,
  options: AuthenticateOptions,
): RequestHandler {
  return async (req, _res, next) => {
    const header = req.headers.authorization;
    let context: AuthContext | undefined;
    if (header !== undefined && header !== '') {
      const credentials = parseBasic(header);
      if (credentials !== undefined)
        context = await viaBasic(deps, req, credentials, options.passcodes);
    } else {
      const cookie = readCookie(req.headers.cookie, AUTH_COOKIE);
      if (cookie !== undefined) context = await viaSession(deps, cookie);
    }
    if (context === undefined) throw AppError.unauthenticated();
    setAuthContext(req, context);
    next();
  };
}
