import { Router } from 'express';
import type { Request } from 'express';
import { z } from 'zod';
import { canManageUsers } from '@o2/domain';
import { AppError } from '@o2/errors';
import type { IngestionToken, MetaStore } from '@o2/metastore';
import type { IngestionTokenInfo } from '@o2/api-schemas';
import { orgContext } from '../auth/auth-context.js';
import { newIngestionToken } from '../auth/ingestion-token.js';
import { pathParam } from '../http/path-param.js';
import { bodyObject, fields, optional, parseBody } from '../http/parse-body.js';
import type { RouteDeps } from './route-deps.js';
import { requireOrg } from './user-fields.js';

const NAME_RULE = /^[\p{L}\p{N}_-]+$/u;

/** O2's name rules, with O2's messages. */
const tokenName = z
  .string({ error: 'Token name cannot be empty' })
  .trim()
  .min(1, { error: 'Token name cannot be empty' })
  .max(256, { error: 'Token name must be 256 characters or fewer' })
  .regex(NAME_RULE, {
    error: 'Token name can only contain alphanumeric characters, hyphens, and underscores',
  });

export const createTokenBody = bodyObject({
  name: tokenName,
  description: optional(fields.string().max(1024, { error: 'is too long' })),
});
export const enableTokenBody = bodyObject({ enabled: fields.boolean() });

/** O2's `OrgIngestionToken`; `created_at` in µs as O2 reports times. */
export function tokenInfo(token: IngestionToken): IngestionTokenInfo {
  return {
    name: token.name,
    token: token.token,
    description: token.description,
    is_default: token.isDefault,
    enabled: token.enabled,
    created_by: token.createdBy,
    created_at: token.createdAt * 1000,
  };
}

/**
 * The org's `default` token, made when missing: O2 gives every org one at creation; orgs made
 * before tokens existed get theirs on first use. A concurrent creator winning is fine.
 */
export async function ensureDefaultToken(
  metaStore: MetaStore,
  org: string,
  createdBy: string,
): Promise<void> {
  if ((await metaStore.ingestionTokens.get(org, 'default')) !== undefined) return;
  await metaStore.ingestionTokens
    .create({
      org,
      name: 'default',
      token: newIngestionToken(),
      description: 'Default org ingestion token',
      isDefault: true,
      enabled: true,
      createdBy,
    })
    .catch((error: unknown) => {
      if (!(error instanceof AppError && error.code === 'ALREADY_EXISTS')) throw error;
    });
}

/**
 * `/api/{org}/ingestion-tokens`: O2's named org ingestion tokens (`o2oi_…`), which authenticate
 * ingestion routes of their org only. As in O2's OSS build, only admins and root manage them.
 * O2 has list, create and enable/disable; rotate and delete are ours.
 */
export function ingestionTokensRoutes(deps: RouteDeps): Router {
  const { metaStore } = deps;
  const tokens = metaStore.ingestionTokens;
  const router = Router();

  async function manager(req: Request, action: string): Promise<{ org: string; email: string }> {
    const { org, role, user } = orgContext(req);
    if (!canManageUsers(role))
      throw AppError.permissionDenied(`Admin or Root role required to ${action} ingestion tokens`);
    await requireOrg(metaStore, org);
    return { org, email: user.email };
  }

  router.get('/:org/ingestion-tokens', async (req, res) => {
    const { org, email } = await manager(req, 'list');
    await ensureDefaultToken(metaStore, org, email);
    res.json({ data: (await tokens.list(org)).map(tokenInfo) });
  });

  router.post('/:org/ingestion-tokens', ...deps.jsonBody, async (req, res) => {
    const { org, email } = await manager(req, 'create');
    const body = parseBody(createTokenBody, req.body);
    const created = await tokens
      .create({
        org,
        name: body.name,
        token: newIngestionToken(),
        description: body.description ?? '',
        isDefault: false,
        enabled: true,
        createdBy: email,
      })
      .catch((error: unknown) => {
        if (error instanceof AppError && error.code === 'ALREADY_EXISTS')
          throw AppError.invalidArgument(
            `Token with name '${body.name}' already exists in this org`,
          );
        throw error;
      });
    res.json({ data: tokenInfo(created) });
  });

  router.patch('/:org/ingestion-tokens/:name', ...deps.jsonBody, async (req, res) => {
    const { org } = await manager(req, 'manage');
    const { enabled } = parseBody(enableTokenBody, req.body);
    await tokens.setEnabled(org, pathParam(req.params, 'name'), enabled);
    const state = enabled ? 'enabled' : 'disabled';
    res.json({ code: 200, message: `Token ${state} successfully` });
  });

  router.put('/:org/ingestion-tokens/:name/rotate', async (req, res) => {
    const { org } = await manager(req, 'manage');
    const rotated = await tokens.rotate(org, pathParam(req.params, 'name'), newIngestionToken());
    res.json({ data: tokenInfo(rotated) });
  });

  router.delete('/:org/ingestion-tokens/:name', async (req, res) => {
    const { org } = await manager(req, 'manage');
    const name = pathParam(req.params, 'name');
    const token = await tokens.get(org, name);
    if (token === undefined) throw AppError.notFound(`Token '${name}' not found`);
    if (token.isDefault)
      throw AppError.invalidArgument('The default ingestion token cannot be deleted');
    await tokens.delete(org, name);
    res.json({ code: 200, message: 'Token deleted successfully' });
  });

  return router;
}
