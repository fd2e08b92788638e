import type { RequestHandler } from 'express';
import { checkOrgId } from '@o2/domain';
import { AppError } from '@o2/errors';
import type { MetaStore } from '@o2/metastore';
import { parseApiPath } from '../http/api-path.js';
import { authContext, setAuthContext } from './auth-context.js';
import type { AuthContext } from './auth-context.js';

/**
 * The caller's context inside `org`: root may enter any org, everyone else must be a member
 * (a passcode only its own org). A non-member gets the same 403 whether or not the org exists,
 * so the answer does not reveal which orgs exist; an invalid org id is 400 (the @o2/domain name
 * rules), before any lookup.
 */
export async function enterOrg(
  metaStore: MetaStore,
  context: AuthContext,
  org: string,
): Promise<AuthContext> {
  checkOrgId(org);
  const { user } = context;
  if (context.method === 'ingestion_token') {
    // An org token reaches its own org's ingestion routes (authenticate checked the route).
    if (context.org !== org) throw AppError.permissionDenied();
    return { ...context, org, role: 'user' };
  }
  if (context.method === 'passcode') {
    // The passcode already named its org and membership; authenticate checked they match.
    if (context.membership?.org !== org) throw AppError.permissionDenied();
    return { ...context, role: user.isRoot ? 'root' : context.membership.role };
  }
  const membership = await metaStore.users.getMembership(org, user.email);
  if (user.isRoot) return { ...context, org, membership, role: 'root' };
  if (membership !== undefined) return { ...context, org, membership, role: membership.role };
  throw AppError.permissionDenied();
}

/**
 * For `/api/{org}/…`: the caller must be allowed into the org (`enterOrg`). Resolves the
 * caller's membership and effective role for the handlers.
 */
export function createOrgAccess(deps: { metaStore: MetaStore }): RequestHandler {
  return async (req, _res, next) => {
    const { org } = parseApiPath(req.path);
    if (org === undefined) {
      next();
      return;
    }
    setAuthContext(req, await enterOrg(deps.metaStore, authContext(req), org));
    next();
  };
}
