import type { Request } from 'express';
import { canManageUsers } from '@o2/domain';
import { AppError } from '@o2/errors';
import { authContext } from '../auth/auth-context.js';
import type { RouteDeps } from './route-deps.js';

/**
 * `/node` routes act on the whole node, across orgs: root, or an admin of some org, only.
 * Throws PERMISSION_DENIED otherwise.
 */
export async function requireNodeAdmin(
  deps: Pick<RouteDeps, 'metaStore'>,
  req: Request,
): Promise<void> {
  const { user } = authContext(req);
  if (user.isRoot) return;
  const memberships = await deps.metaStore.users.listMemberships(user.email);
  if (!memberships.some((m) => canManageUsers(m.role))) throw AppError.permissionDenied();
}
