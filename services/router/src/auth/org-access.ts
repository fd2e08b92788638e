import type { RequestHandler } from 'express';
import { checkOrgId } from '@o2/domain';
import { AppError } from '@o2/errors';
import type { MetaStore } from '@o2/metastore';
import { parseApiPath } from '../http/api-path.js';
import { authContext, setAuthContext } from './auth-context.js';

/**
 * For `/api/{org}/…`: an invalid org id is 400 (the @o2/domain name rules); root may enter any org; everyone else must be a member. A non-member gets
 * the same 403 whether or not the org exists, so the answer does not reveal which orgs exist.
 * Resolves the caller's membership and effective role for the handlers.
 */
export function createOrgAccess(deps: { metaStore: MetaStore }): RequestHandler {
  return async (req, _res, next) => {
    const { org } = parseApiPath(req.path);
    if (org === undefined) {
      next();
      return;
    }
    const context = authContext(req);
    // An id no org can have is the caller's mistake whoever asks (it reveals no org): 400,
    // before any lookup, so `../default` or `Bad Org!` never reaches a route or the metastore.
    checkOrgId(org);
    const { user } = context;
    if (context.method === 'passcode') {
      // The passcode already named its org and membership; authenticate checked they match.
      if (context.membership?.org !== org) throw AppError.permissionDenied();
      setAuthContext(req, { ...context, role: user.isRoot ? 'root' : context.membership.role });
      next();
      return;
    }
    const membership = await deps.metaStore.users.getMembership(org, user.email);
    if (user.isRoot) {
      setAuthContext(req, { ...context, org, membership, role: 'root' });
    } else if (membership !== undefined) {
      setAuthContext(req, { ...context, org, membership, role: membership.role });
    } else {
      throw AppError.permissionDenied();
    }
    next();
  };
}
