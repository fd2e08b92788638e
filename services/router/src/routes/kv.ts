import { Router } from 'express';
import type { Request, Response } from 'express';
import { canManageUsers } from '@o2/domain';
import { AppError } from '@o2/errors';
import { orgContext } from '../auth/auth-context.js';
import { pathParam } from '../http/path-param.js';
import { queryParam } from '../http/query-params.js';
import { readIngestBody } from '../http/ingest-body.js';
import type { RouteDeps } from './route-deps.js';
import { requireOrg } from './user-fields.js';

/**
 * Keys of the public KV API live under this prefix of the org's store, apart from what O2TS
 * keeps there itself (org settings, RUM tokens, HA leases), which the API must not reach.
 */
const PUBLIC_PREFIX = 'kv/';
const MAX_KEY_LENGTH = 512;
const MAX_VALUE_BYTES = 1024 * 1024;

function checkKey(key: string): string {
  if (key === '' || key.length > MAX_KEY_LENGTH || /\p{Cc}/u.test(key))
    throw AppError.invalidArgument(
      `Key must be 1 to ${String(MAX_KEY_LENGTH)} characters without control characters`,
    );
  return key;
}

/** O2 answers the KV routes in plain text, including its 404. */
function text(res: Response, status: number, body: string): void {
  res.status(status).type('text/plain').send(body);
}

/**
 * O2's per-org key-value store, `/api/{org}/kv[/{key}]`: values are plain text, `GET /kv` lists
 * keys (optionally by `prefix`). Members read; admins and root write.
 */
export function kvRoutes(deps: RouteDeps): Router {
  const { metaStore } = deps;
  const router = Router();

  async function orgFor(req: Request, write: boolean): Promise<string> {
    const { org, role } = orgContext(req);
    if (write && !canManageUsers(role)) throw AppError.permissionDenied();
    await requireOrg(metaStore, org);
    return org;
  }
  const keyOf = (req: Request) => PUBLIC_PREFIX + checkKey(pathParam(req.params, 'key'));

  router.get('/:org/kv', async (req, res) => {
    const org = await orgFor(req, false);
    const prefix = queryParam(req, 'prefix') ?? '';
    const keys = await metaStore.kv.list(org, PUBLIC_PREFIX + prefix);
    res.json(keys.map((key) => key.slice(PUBLIC_PREFIX.length)));
  });

  router.get('/:org/kv/:key', async (req, res) => {
    const org = await orgFor(req, false);
    const value = await metaStore.kv.get(org, keyOf(req));
    if (value === undefined) text(res, 404, 'Not Found');
    else text(res, 200, value);
  });

  router.post('/:org/kv/:key', async (req, res) => {
    const org = await orgFor(req, true);
    const key = keyOf(req);
    const value = (await readIngestBody(req, MAX_VALUE_BYTES)).toString('utf8');
    await metaStore.kv.put(org, key, value);
    text(res, 200, 'OK');
  });

  router.delete('/:org/kv/:key', async (req, res) => {
    const org = await orgFor(req, true);
    if (await metaStore.kv.delete(org, keyOf(req))) text(res, 200, 'OK');
    else text(res, 404, 'Not Found');
  });

  return router;
}
