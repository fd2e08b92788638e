import { describePasswordProblems, parseRole, passwordProblems } from '@o2/domain';
import type { UserRole } from '@o2/domain';
import { AppError } from '@o2/errors';
import type { MetaStore } from '@o2/metastore';

export const INVALID_ROLE = 'Invalid role';

/** A role the users API may give: any O2 role but root (root exists only from bootstrap). */
export function toAssignableRole(value: unknown): UserRole | undefined {
  const role = parseRole(value);
  return role === 'root' ? undefined : role;
}

export function assignableRole(value: unknown): UserRole {
  const role = toAssignableRole(value);
  if (role === undefined) throw AppError.invalidArgument(INVALID_ROLE);
  return role;
}

/** 400 naming every rule the password breaks. */
export function checkPasswordPolicy(password: string): void {
  const problems = passwordProblems(password);
  if (problems.length > 0) throw AppError.invalidArgument(describePasswordProblems(problems));
}

export async function requireOrg(metaStore: MetaStore, org: string): Promise<void> {
  if ((await metaStore.orgs.get(org)) === undefined)
    throw AppError.notFound('Organization not found');
}

/** O2 answers a duplicate user with 400, where our store's ALREADY_EXISTS would be 409. */
export function duplicateAsBadRequest(error: unknown): never {
  if (error instanceof AppError && error.code === 'ALREADY_EXISTS')
    throw AppError.invalidArgument('User already exists');
  throw error;
}

/**
 * A service account is an identity of its own, living in one org: its token (the membership's
 * passcode) is readable by that org's admins. Giving an existing user the role would hand those
 * admins the user's identity and let them edit the user's global fields; adding a service account
 * to a second org would let that org's admins do the same. O2 refuses both with a 400.
 */
export async function refuseServiceAccountCrossing(
  users: MetaStore['users'],
  email: string,
  role: UserRole,
): Promise<void> {
  if (role === 'service_account')
    throw AppError.invalidArgument(
      'An existing user cannot be given the service_account role; create a service account instead',
    );
  const memberships = await users.listMemberships(email);
  if (memberships.some((membership) => membership.role === 'service_account'))
    throw AppError.invalidArgument('A service account cannot be added to another organization');
}
