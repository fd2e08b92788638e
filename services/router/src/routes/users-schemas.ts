import { z } from 'zod';
import { isValidEmail, normalizeEmail } from '@o2/domain';
import type { UserRole } from '@o2/domain';
import { bodyObject, fields, optional } from '../http/parse-body.js';
import { INVALID_ROLE, toAssignableRole } from './user-fields.js';

const assignableRole = z.unknown().transform((value, ctx): UserRole => {
  const role = toAssignableRole(value);
  if (role !== undefined) return role;
  ctx.addIssue({ code: 'custom', message: INVALID_ROLE });
  return z.NEVER;
});

const email = z
  .string({ error: 'Invalid email' })
  .refine(isValidEmail, { error: 'Invalid email' })
  .transform(normalizeEmail);

const optionalString = optional(fields.string());

/** `POST /api/{org}/users`: the password policy is checked only when the user is new. */
export const createUserBody = bodyObject({
  email,
  role: assignableRole,
  password: optionalString,
  first_name: optionalString,
  last_name: optionalString,
});

/** `POST /api/{org}/users/{email}`: adds an existing user to the org. */
export const addUserBody = bodyObject({ role: assignableRole });

/**
 * `PUT /api/{org}/users/{email}`. `role` stays raw: whether a value is an error (400) or
 * forbidden (403) depends on the target, so the handler decides.
 */
export const updateUserBody = bodyObject({
  role: z.unknown().optional(),
  first_name: optionalString,
  last_name: optionalString,
  change_password: optional(fields.boolean()),
  new_password: optionalString,
  old_password: optionalString,
});

/** `POST /auth/login`: O2 names the e-mail field `name`. */
export const loginBody = bodyObject({ name: optionalString, password: optionalString });
