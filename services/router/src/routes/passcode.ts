import { Router } from 'express';
import type { Request } from 'express';
import { AppError } from '@o2/errors';
import type { Membership } from '@o2/metastore';
import { orgContext } from '../auth/auth-context.js';
import { newPasscode } from '../auth/passcode.js';
import type { RouteDeps } from './route-deps.js';
import { requireOrg } from './user-fields.js';

/** `/api/{org}/passcode`: the caller's own ingestion passcode in that org; PUT rotates it. */
export function passcodeRoutes(deps: RouteDeps): Router {
  const { metaStore } = deps;
  const router = Router();

  /**
   * The caller's membership. Root may look at an org it has never joined; it then gets a
   * membership (as root) so it has a passcode there too, like every member.
   */
  async function ownMembership(req: Request): Promise<Membership> {
    const { org, user, membership } = orgContext(req);
    if (membership !== undefined) return membership;
    if (!user.isRoot) throw AppError.permissionDenied();
    await requireOrg(metaStore, org);
    return metaStore.users.putMembership({
      org,
      email: user.email,
      role: 'root',
      passcode: newPasscode(),
    });
  }

  router.get('/:org/passcode', async (req, res) => {
    const membership = await ownMembership(req);
    res.json({ data: { user: membership.email, passcode: membership.passcode } });
  });

  router.put('/:org/passcode', async (req, res) => {
    const current = await ownMembership(req);
    const rotated = await metaStore.users.putMembership({
      org: current.org,
      email: current.email,
      role: current.role,
      passcode: newPasscode(),
    });
    res.json({ data: { user: rotated.email, passcode: rotated.passcode } });
  });

  return router;
}
