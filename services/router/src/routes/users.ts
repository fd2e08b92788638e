import { Router } from 'express';
import { canManageUsers, normalizeEmail } from '@o2/domain';
import { AppError } from '@o2/errors';
import { orgContext } from '../auth/auth-context.js';
import { newPasscode } from '../auth/passcode.js';
import { hashPassword } from '../auth/password-hash.js';
import { pathParam } from '../http/path-param.js';
import { parseBody } from '../http/parse-body.js';
import type { RouteDeps } from './route-deps.js';
import {
  checkPasswordPolicy,
  duplicateAsBadRequest,
  refuseServiceAccountCrossing,
  requireOrg,
} from './user-fields.js';
import { addUserBody, createUserBody } from './users-schemas.js';
import { removeMember, userUpdateRoutes } from './user-update.js';
import { bulkDelete, bulkDeleteBody } from './bulk-delete.js';

const ROLE_LABELS = [
  { label: 'Admin', value: 'admin' },
  { label: 'Editor', value: 'editor' },
  { label: 'Viewer', value: 'viewer' },
  { label: 'User', value: 'user' },
  { label: 'Service Account', value: 'service_account' },
] as const;

function requireManager(role: Parameters<typeof canManageUsers>[0]): void {
  if (!canManageUsers(role)) throw AppError.permissionDenied();
}

/** `/api/{org}/users…`: O2's users API, with its OSS rule that only admins and root manage users. */
export function usersRoutes(deps: RouteDeps): Router {
  const { metaStore } = deps;
  const users = metaStore.users;
  const router = Router();

  router.get('/:org/users', async (req, res) => {
    const { org } = orgContext(req);
    await requireOrg(metaStore, org);
    const members = await users.listMembers(org);
    const data = members
      .map(({ user, membership }) => ({
        email: user.email,
        first_name: user.firstName,
        last_name: user.lastName,
        role: user.isRoot ? 'root' : membership.role,
        is_external: false,
        // O2 reports times in microseconds.
        created_at: user.createdAt * 1000,
      }))
      .sort((a, b) => a.email.localeCompare(b.email));
    res.json({ data });
  });

  router.get('/:org/users/roles', (_req, res) => {
    res.json(ROLE_LABELS);
  });

  router.post('/:org/users', ...deps.jsonBody, async (req, res) => {
    const { org, role: callerRole } = orgContext(req);
    requireManager(callerRole);
    const body = parseBody(createUserBody, req.body);
    const { email, role } = body;
    await requireOrg(metaStore, org);

    const existing = await users.get(email);
    if (existing !== undefined) {
      // O2 adds a user of another org to this one instead of refusing; the password is ignored.
      if (existing.isRoot || (await users.getMembership(org, email)) !== undefined)
        throw AppError.invalidArgument('User already exists');
      await refuseServiceAccountCrossing(users, email, role);
    } else {
      const password = body.password ?? '';
      checkPasswordPolicy(password);
      await users
        .create({
          email,
          firstName: body.first_name ?? '',
          lastName: body.last_name ?? '',
          passwordHash: await hashPassword(password),
          isRoot: false,
        })
        .catch(duplicateAsBadRequest);
    }
    await users.putMembership({ org, email, role, passcode: newPasscode() });
    res.json({ code: 200, message: 'User saved successfully' });
  });

  router.post('/:org/users/:email', ...deps.jsonBody, async (req, res) => {
    const { org, role: callerRole } = orgContext(req);
    requireManager(callerRole);
    const email = normalizeEmail(pathParam(req.params, 'email'));
    const { role } = parseBody(addUserBody, req.body);
    await requireOrg(metaStore, org);
    const user = await users.get(email);
    if (user === undefined) throw new AppError('UNPROCESSABLE', 'User not found');
    if (user.isRoot) throw new AppError('CONFLICT', 'Root user cannot be added to an organization');
    if ((await users.getMembership(org, email)) !== undefined)
      throw new AppError('CONFLICT', 'User is already a member of this organization');
    await refuseServiceAccountCrossing(users, email, role);
    await users.putMembership({ org, email, role, passcode: newPasscode() });
    res.json({ code: 200, message: 'User added to organization successfully' });
  });

  // Before `/:org/users/:email`, which would otherwise take `bulk` for an e-mail.
  router.delete('/:org/users/bulk', ...deps.jsonBody, async (req, res) => {
    const { org, role: callerRole } = orgContext(req);
    requireManager(callerRole);
    const { ids } = parseBody(bulkDeleteBody, req.body);
    res.json(await bulkDelete(ids, (email) => removeMember(users, org, email)));
  });

  router.use(userUpdateRoutes(deps));
  return router;
}
