import type { Request } from 'express';
import type { UserRole } from '@o2/domain';
import type { Membership, User } from '@o2/metastore';
import { AppError } from '@o2/errors';

/** How the caller proved who they are. */
export type AuthMethod = 'password' | 'passcode' | 'session' | 'ingestion_token';

/** What the auth middleware learned about the caller, for the handlers behind it. */
export interface AuthContext {
  user: User;
  method: AuthMethod;
  /** The session id when `method` is `session` (logout deletes it). */
  sessionId?: string;
  /** The org named in the path (`/api/{org}/…`), when the route is org-scoped. */
  org?: string;
  /** The caller's membership in `org`; root may have none. */
  membership?: Membership;
  /** Root above everything, else the membership's role in `org`. */
  role?: UserRole;
}

// Kept beside the request rather than on it, so no global Express type is augmented.
const contexts = new WeakMap<Request, AuthContext>();

export function setAuthContext(req: Request, context: AuthContext): void {
  contexts.set(req, context);
}

export function findAuthContext(req: Request): AuthContext | undefined {
  return contexts.get(req);
}

/** The caller of an authenticated route; a route mounted outside the auth middleware is a bug. */
export function authContext(req: Request): AuthContext {
  const context = contexts.get(req);
  if (context === undefined) throw AppError.internal('route is not behind the auth middleware');
  return context;
}

/** The caller's context on an org-scoped route, with the org and role resolved. */
export function orgContext(req: Request): AuthContext & { org: string; role: UserRole } {
  const context = authContext(req);
  if (context.org === undefined || context.role === undefined)
    throw AppError.internal('route is not behind the org access middleware');
  return { ...context, org: context.org, role: context.role };
}
