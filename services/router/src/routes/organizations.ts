import { Router } from 'express';
import { checkOrgId, isValidOrgIdentifier, orgIdentifierFromName } from '@o2/domain';
import { AppError } from '@o2/errors';
import type { MetaStore, Organization } from '@o2/metastore';
import { authContext } from '../auth/auth-context.js';
import { newPasscode } from '../auth/passcode.js';
import { ORG_LESS_API_SEGMENTS } from '../http/api-path.js';
import { parseBody } from '../http/parse-body.js';
import { ensureDefaultToken } from './ingestion-tokens.js';
import { createOrgBody } from './org-schemas.js';
import type { RouteDeps } from './route-deps.js';

// O2's OSS defaults: there are no quotas, and the UI only displays these.
const UNLIMITED_THRESHOLD = 9383939382;
const MAX_SUFFIX_ATTEMPTS = 1000;

function isUsableIdentifier(identifier: string): boolean {
  // An org named like an org-less /api path would be unreachable: /api/organizations/… is ours.
  return isValidOrgIdentifier(identifier) && !ORG_LESS_API_SEGMENTS.has(identifier);
}

/** Creates the org under `identifier`, or under `identifier_2`, `_3` … when taken. */
async function createWithFreeIdentifier(
  metaStore: MetaStore,
  base: string,
  name: string,
): Promise<Organization> {
  for (let attempt = 1; attempt <= MAX_SUFFIX_ATTEMPTS; attempt += 1) {
    const identifier = attempt === 1 ? base : `${base}_${attempt}`;
    if (!isUsableIdentifier(identifier)) continue;
    try {
      return await metaStore.orgs.create({ identifier, name, type: 'custom' });
    } catch (error) {
      if (!(error instanceof AppError && error.code === 'ALREADY_EXISTS')) throw error;
    }
  }
  throw AppError.invalidArgument(`No free organization identifier derived from "${base}"`);
}

/** `/api/organizations`: list the caller's orgs (root: all) and create new ones. */
export function organizationsRoutes(deps: RouteDeps): Router {
  const { metaStore } = deps;
  const router = Router();

  router.get('/organizations', async (req, res) => {
    const { user } = authContext(req);
    const all = (await metaStore.orgs.list()).sort((a, b) => a.createdAt - b.createdAt);
    const memberships = new Map(
      (await metaStore.users.listMemberships(user.email)).map((m) => [m.org, m]),
    );
    const data = all.flatMap((org, index) => {
      const membership = memberships.get(org.identifier);
      if (!user.isRoot && membership === undefined) return [];
      return [
        {
          // Position in creation order: stable, since orgs are never deleted yet.
          id: index + 1,
          identifier: org.identifier,
          name: org.name,
          user_email: user.email,
          ingest_threshold: UNLIMITED_THRESHOLD,
          search_threshold: UNLIMITED_THRESHOLD,
          type: org.type,
          UserObj: {
            first_name: user.firstName,
            last_name: user.lastName,
            email: user.email,
            ...(membership === undefined ? {} : { ingestion_token: membership.passcode }),
          },
          plan: 0,
        },
      ];
    });
    res.json({ data });
  });

  router.post('/organizations', ...deps.jsonBody, async (req, res) => {
    const { user } = authContext(req);
    const { name, identifier: requested } = parseBody(createOrgBody, req.body);
    let org: Organization;
    if (requested !== '') {
      checkOrgId(requested);
      if (!isUsableIdentifier(requested))
        throw AppError.invalidArgument(
          `Invalid organization identifier: ${requested} is a reserved API path`,
        );
      org = await metaStore.orgs
        .create({ identifier: requested, name, type: 'custom' })
        .catch((error: unknown) => {
          if (error instanceof AppError && error.code === 'ALREADY_EXISTS')
            throw AppError.invalidArgument('Organization identifier already exists');
          throw error;
        });
    } else {
      org = await createWithFreeIdentifier(metaStore, orgIdentifierFromName(name), name);
    }
    await metaStore.users.putMembership({
      org: org.identifier,
      email: user.email,
      role: user.isRoot ? 'root' : 'admin',
      passcode: newPasscode(),
    });
    // O2 gives every new org its `default` ingestion token.
    await ensureDefaultToken(metaStore, org.identifier, user.email);
    // O2's answer is the org itself, flat, with the service account it made (none in OSS).
    res.json({
      identifier: org.identifier,
      name: org.name,
      org_type: org.type,
      service_account: null,
    });
  });

  return router;
}
