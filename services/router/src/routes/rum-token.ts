import { Router } from 'express';
import type { Request } from 'express';
import { normalizeEmail } from '@o2/domain';
import { AppError } from '@o2/errors';
import type { RumToken } from '@o2/api-schemas';
import { orgContext } from '../auth/auth-context.js';
import { randomAlphanumeric } from '../auth/ingestion-token.js';
import type { RouteDeps } from './route-deps.js';
import { requireOrg } from './user-fields.js';

/** Where a user's RUM token is kept in the org's KV (outside the public KV API's keys). */
const keyOf = (email: string) => `rumtoken/${normalizeEmail(email)}`;

/** A new RUM token as O2 makes them: `rum` and 16 random alphanumerics. */
function newRumToken(): string {
  return `rum${randomAlphanumeric(16)}`;
}

/**
 * `/api/{org}/rumtoken`: the caller's browser-RUM token in the org (`{"data":{user,rum_token}}`).
 * GET shows it (making one the first time), POST and PUT replace it. Any member has one;
 * root has one in every org.
 */
export function rumTokenRoutes(deps: RouteDeps): Router {
  const { metaStore } = deps;
  const router = Router();

  async function caller(req: Request): Promise<{ org: string; email: string }> {
    const { org, user, membership } = orgContext(req);
    if (membership === undefined && !user.isRoot) throw AppError.permissionDenied();
    await requireOrg(metaStore, org);
    return { org, email: user.email };
  }

  const answer = (email: string, token: string): RumToken => ({
    data: { user: email, rum_token: token },
  });

  router.get('/:org/rumtoken', async (req, res) => {
    const { org, email } = await caller(req);
    let token = await metaStore.kv.get(org, keyOf(email));
    if (token === undefined) {
      token = newRumToken();
      await metaStore.kv.put(org, keyOf(email), token);
    }
    res.json(answer(email, token));
  });

  const rotate = async (req: Request): Promise<RumToken> => {
    const { org, email } = await caller(req);
    const token = newRumToken();
    await metaStore.kv.put(org, keyOf(email), token);
    return answer(email, token);
  };
  router.post('/:org/rumtoken', async (req, res) => {
    res.json(await rotate(req));
  });
  router.put('/:org/rumtoken', async (req, res) => {
    res.json(await rotate(req));
  });

  return router;
}
