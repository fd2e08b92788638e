import express, { Router } from 'express';
import type { Request } from 'express';
import { z } from 'zod';
import { canManageUsers, isValidEmail, normalizeEmail } from '@o2/domain';
import { AppError } from '@o2/errors';
import type { ApiToken, ServiceAccount } from '@o2/api-schemas';
import type { Membership } from '@o2/metastore';
import { orgContext } from '../auth/auth-context.js';
import { randomAlphanumeric } from '../auth/ingestion-token.js';
import { newPasscode } from '../auth/passcode.js';
import { hashPassword } from '../auth/password-hash.js';
import { pathParam } from '../http/path-param.js';
import { queryParam } from '../http/query-params.js';
import { bodyObject, fields, optional, parseBody } from '../http/parse-body.js';
import { bulkDelete, bulkDeleteBody } from './bulk-delete.js';
import type { RouteDeps } from './route-deps.js';
import { duplicateAsBadRequest, requireOrg } from './user-fields.js';

const name = optional(fields.string().max(256, { error: 'is too long' }));

/** O2's `ServiceAccountRequest`. */
export const createServiceAccountBody = bodyObject({
  email: z
    .string({ error: 'Invalid email' })
    .refine(isValidEmail, { error: 'Invalid email' })
    .transform(normalizeEmail),
  first_name: name,
  last_name: name,
});
/** O2's `UpdateServiceAccountRequest`. */
export const updateServiceAccountBody = bodyObject({ first_name: name, last_name: name });

/**
 * `/api/{org}/service_accounts`: users with the `service_account` role, whose token (their
 * membership's passcode) authenticates `email:token` on every route of the org. Only admins and
 * root manage them, since listing shows the tokens.
 */
export function serviceAccountsRoutes(deps: RouteDeps): Router {
  const { metaStore } = deps;
  const users = metaStore.users;
  const router = Router();

  async function managerOrg(req: Request): Promise<string> {
    const { org, role } = orgContext(req);
    if (!canManageUsers(role)) throw AppError.permissionDenied();
    await requireOrg(metaStore, org);
    return org;
  }

  async function account(org: string, email: string): Promise<Membership> {
    const membership = await users.getMembership(org, normalizeEmail(email));
    if (membership?.role !== 'service_account')
      throw AppError.notFound('Service Account not found');
    return membership;
  }

  async function remove(org: string, email: string): Promise<void> {
    await account(org, email);
    await users.removeMembership(org, normalizeEmail(email));
    if ((await users.listMemberships(normalizeEmail(email))).length === 0)
      await users.delete(normalizeEmail(email)).catch((error: unknown) => {
        if (!(error instanceof AppError && error.code === 'NOT_FOUND')) throw error;
      });
  }

  router.get('/:org/service_accounts', async (req, res) => {
    const org = await managerOrg(req);
    const data: ServiceAccount[] = (await users.listMembers(org))
      .filter(({ membership }) => membership.role === 'service_account')
      .map(({ user, membership }) => ({
        email: user.email,
        first_name: user.firstName,
        last_name: user.lastName,
        role: 'service_account' as const,
        is_external: false,
        created_at: user.createdAt * 1000,
        token: membership.passcode,
      }))
      .sort((a, b) => a.email.localeCompare(b.email));
    res.json({ data });
  });

  router.post('/:org/service_accounts', ...deps.jsonBody, async (req, res) => {
    const org = await managerOrg(req);
    const body = parseBody(createServiceAccountBody, req.body);
    // Nobody signs in as a service account: the password is random and never shown.
    await users
      .create({
        email: body.email,
        firstName: body.first_name ?? '',
        lastName: body.last_name ?? '',
        passwordHash: await hashPassword(randomAlphanumeric(32)),
        isRoot: false,
      })
      .catch(duplicateAsBadRequest);
    await users.putMembership({
      org,
      email: body.email,
      role: 'service_account',
      passcode: newPasscode(),
    });
    res.json({ code: 200, message: 'Service Account created successfully' });
  });

  // Before `/:email`, which would otherwise take `bulk` for an e-mail.
  router.delete('/:org/service_accounts/bulk', ...deps.jsonBody, async (req, res) => {
    const org = await managerOrg(req);
    const { ids } = parseBody(bulkDeleteBody, req.body);
    res.json(await bulkDelete(ids, (email) => remove(org, email)));
  });

  router.get('/:org/service_accounts/:email', async (req, res) => {
    const org = await managerOrg(req);
    const membership = await account(org, pathParam(req.params, 'email'));
    const body: ApiToken = { user: membership.email, token: membership.passcode };
    res.json(body);
  });

  // A rotation (`?rotateToken=true`) usually comes without a body, so none is required here.
  const optionalJson = express.json({
    limit: deps.config.ZO_PAYLOAD_LIMIT,
    type: ['application/json', 'application/*+json'],
  });
  router.put('/:org/service_accounts/:email', optionalJson, async (req, res) => {
    const org = await managerOrg(req);
    const membership = await account(org, pathParam(req.params, 'email'));
    const rotate = queryParam(req, 'rotateToken')?.toLowerCase();
    if (rotate !== undefined && rotate !== 'true' && rotate !== 'false')
      throw AppError.invalidArgument(
        "'rotateToken' query param with value 'true' or 'false' allowed",
      );
    if (rotate === 'true') {
      const rotated = await users.putMembership({ ...membership, passcode: newPasscode() });
      const body: ApiToken = { user: rotated.email, token: rotated.passcode };
      res.json(body);
      return;
    }
    const body = parseBody(updateServiceAccountBody, (req.body as unknown) ?? {});
    const patch: { firstName?: string; lastName?: string } = {};
    if (body.first_name !== undefined) patch.firstName = body.first_name;
    if (body.last_name !== undefined) patch.lastName = body.last_name;
    if (Object.keys(patch).length > 0) await users.update(membership.email, patch);
    res.json({ code: 200, message: 'Service Account updated successfully' });
  });

  router.delete('/:org/service_accounts/:email', async (req, res) => {
    const org = await managerOrg(req);
    await remove(org, pathParam(req.params, 'email'));
    res.json({ code: 200, message: 'Service Account deleted successfully' });
  });

  return router;
}
