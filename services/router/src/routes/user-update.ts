import { Router } from 'express';
import { canManageUsers, normalizeEmail } from '@o2/domain';
import type { UserRole } from '@o2/domain';
import { AppError } from '@o2/errors';
import type { User, UserRepository } from '@o2/metastore';
import { orgContext } from '../auth/auth-context.js';
import { hashPassword } from '../auth/password-hash.js';
import { pathParam } from '../http/path-param.js';
import { parseBody } from '../http/parse-body.js';
import type { RouteDeps } from './route-deps.js';
import { assignableRole, checkPasswordPolicy } from './user-fields.js';
import { updateUserBody } from './users-schemas.js';

/**
 * PUT and DELETE `/api/{org}/users/{email}`. The rules: nobody but root touches root and root's
 * role never changes; a member may change only their own names and password (proving the old
 * one); an admin may change anyone's role and names in their org and remove members, and set the
 * password of users whose every org they administer.
 */
export function userUpdateRoutes(deps: RouteDeps): Router {
  const users = deps.metaStore.users;
  const router = Router();

  /**
   * A password is global, so setting someone else's needs authority over every org they are in.
   * Otherwise anyone could create an org, add another org's admin to it (O2 allows adding an
   * existing user by e-mail) and take the account over by resetting its password.
   */
  async function requireAdminOfAllOrgs(callerEmail: string, targetEmail: string): Promise<void> {
    for (const { org } of await users.listMemberships(targetEmail)) {
      const mine = await users.getMembership(org, callerEmail);
      if (mine === undefined || !canManageUsers(mine.role))
        throw AppError.permissionDenied(
          "Only root or an admin of every organization the user belongs to may set the user's password",
        );
    }
  }

  router.put('/:org/users/:email', ...deps.jsonBody, async (req, res) => {
    const caller = orgContext(req);
    const email = normalizeEmail(pathParam(req.params, 'email'));
    const body = parseBody(updateUserBody, req.body);
    const target = await users.get(email);
    const membership = target && (await users.getMembership(caller.org, email));
    if (target === undefined || (!target.isRoot && membership === undefined))
      throw AppError.notFound('User not found');
    const self = caller.user.email === email;
    const admin = canManageUsers(caller.role);
    if (target.isRoot && !caller.user.isRoot) throw AppError.permissionDenied();
    if (!self && !admin) throw AppError.permissionDenied();

    const newRole = resolveRole(body.role, target, membership?.role, admin);
    const patch: Partial<Pick<User, 'firstName' | 'lastName' | 'passwordHash'>> = {};
    if (body.first_name !== undefined) patch.firstName = body.first_name;
    if (body.last_name !== undefined) patch.lastName = body.last_name;
    if (body.change_password === true) {
      const newPassword = body.new_password ?? '';
      if (self) {
        const oldPassword = body.old_password ?? '';
        if (!(await deps.passwords.check(target, oldPassword)))
          throw AppError.invalidArgument('Old password is incorrect');
      } else if (!caller.user.isRoot) {
        await requireAdminOfAllOrgs(caller.user.email, email);
      }
      checkPasswordPolicy(newPassword);
      patch.passwordHash = await hashPassword(newPassword);
    }
    if (Object.keys(patch).length === 0 && newRole === undefined)
      throw AppError.invalidArgument('Please specify appropriate fields to update user');

    if (Object.keys(patch).length > 0) await users.update(email, patch);
    if (newRole !== undefined && membership !== undefined)
      await users.putMembership({ ...membership, role: newRole });
    res.json({ code: 200, message: 'User updated successfully' });
  });

  router.delete('/:org/users/:email', async (req, res) => {
    const caller = orgContext(req);
    if (!canManageUsers(caller.role)) throw AppError.permissionDenied();
    await removeMember(users, caller.org, pathParam(req.params, 'email'));
    res.json({ code: 200, message: 'User deleted successfully' });
  });

  return router;
}

/**
 * Removes a member from the org (and the user once in no org). Root cannot be removed (403); a
 * user who is not a member is 404.
 */
export async function removeMember(users: UserRepository, org: string, raw: string): Promise<void> {
  const email = normalizeEmail(raw);
  const target = await users.get(email);
  if (target?.isRoot === true) throw AppError.permissionDenied();
  if (target === undefined || (await users.getMembership(org, email)) === undefined)
    throw AppError.notFound('User not found');
  await users.removeMembership(org, email);
  if ((await users.listMemberships(email)).length === 0) {
    // A concurrent delete may have got there first; the outcome is the same.
    await users.delete(email).catch((error: unknown) => {
      if (!(error instanceof AppError && error.code === 'NOT_FOUND')) throw error;
    });
  }
}

/** The role to store, undefined when the body leaves it as it is. */
function resolveRole(
  value: unknown,
  target: User,
  current: UserRole | undefined,
  callerIsAdmin: boolean,
): UserRole | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (target.isRoot) {
    if (value === 'root') return undefined;
    throw AppError.permissionDenied("The root user's role cannot be changed");
  }
  const role = assignableRole(value);
  if (role === current) return undefined;
  if (!callerIsAdmin) throw AppError.permissionDenied();
  // A service account is its own identity (see refuseServiceAccountCrossing): no user turns into
  // one, and none turns into a user whose token its org's admins once read.
  if (role === 'service_account' || current === 'service_account')
    throw AppError.invalidArgument('The service_account role cannot be given or taken away');
  return role;
}
