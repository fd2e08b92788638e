import {
  describePasswordProblems,
  isValidEmail,
  normalizeEmail,
  parseRole,
  passwordProblems,
} from '@o2/domain';
import type { UserRole } from '@o2/domain';
import { AppError } from '@o2/errors';
import type { MetaStore } from '@o2/metastore';

/** A role the users API may give: any O2 role but root (root exists only from bootstrap). */
export function assignableRole(value: unknown): UserRole {
  const role = parseRole(value);
  if (role === undefined || role === 'root') throw AppError.invalidArgument('Invalid role');
  return role;
}

export function validEmail(value: unknown): string {
  if (typeof value !== 'string' || !isValidEmail(value))
    throw AppError.invalidArgument('Invalid email');
  return normalizeEmail(value);
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
