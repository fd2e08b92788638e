import { Router } from 'express';
import type { Request } from 'express';
import { resolveStreamName } from '@o2/domain';
import type { UserRole } from '@o2/domain';
import { parseCsv } from '@o2/enrichment';
import { AppError } from '@o2/errors';
import { orgContext } from '../auth/auth-context.js';
import { readIngestBody } from '../http/ingest-body.js';
import { singleMultipartFile } from '../http/multipart-file.js';
import { pathParam } from '../http/path-param.js';
import { queryParam } from '../http/query-params.js';
import type { RouteDeps } from './route-deps.js';
import { requireOrg } from './user-fields.js';

/** Everyone but viewers may upload (as for alerts and dashboards); every member reads. */
function requireWriter(role: UserRole): void {
  if (role === 'viewer') throw AppError.permissionDenied();
}

function appendParam(req: Request): boolean {
  const value = queryParam(req, 'append')?.toLowerCase();
  if (value === undefined || value === 'false') return false;
  if (value === 'true') return true;
  throw AppError.invalidArgument('append must be true or false');
}

/** The table name as O2 formats a stream name (400 when it cannot be one). */
function tableName(req: Request, deps: RouteDeps): string {
  return resolveStreamName(pathParam(req.params, 'name'), {
    toLowercase: deps.config.ZO_FORMAT_STREAM_NAME_TO_LOWERCASE,
    skip: deps.config.ZO_SKIP_FORMAT_STREAM_NAME,
  });
}

/**
 * O2's enrichment-table API (`/api/{org}/enrichment_tables…`): a multipart CSV upload that
 * replaces (`append=false`, default) or extends (`append=true`) a table, and the tables' status.
 * Tables are streams of type `enrichment_tables` (listed and deleted through the streams API,
 * joined in SQL as `enrichment_tables."name"`). `…/{name}/url` (fetching a CSV from a URL) is
 * not served yet (404).
 */
export function enrichmentTablesRoutes(deps: RouteDeps): Router {
  const { config, metaStore, enrichment } = deps;
  const router = Router();
  const storeOf = (): NonNullable<RouteDeps['enrichment']> => {
    if (enrichment === undefined)
      throw new AppError('UNAVAILABLE', 'enrichment tables need the object store');
    return enrichment;
  };

  router.get('/:org/enrichment_tables/status', async (req, res) => {
    const { org } = orgContext(req);
    await requireOrg(metaStore, org);
    const tables = await storeOf().store.list(org);
    const status: Record<string, unknown> = {};
    for (const t of tables) {
      status[t.name] = {
        status: 'completed',
        records: t.records,
        files: t.files,
        updated_at: t.updatedAt,
      };
    }
    res.json(status);
  });

  router.post('/:org/enrichment_tables/:name', async (req, res) => {
    const { org, role } = orgContext(req);
    requireWriter(role);
    const name = tableName(req, deps);
    const append = appendParam(req);
    const { store, cache } = storeOf();
    await requireOrg(metaStore, org);
    const limit = Math.min(config.ZO_PAYLOAD_LIMIT, config.ZO_ENRICHMENT_TABLE_LIMIT * 1024 * 1024);
    const body = await readIngestBody(req, limit);
    const file = singleMultipartFile(body, req.headers['content-type']);
    const text = new TextDecoder('utf-8', { fatal: false }).decode(file.data);
    const table = await store.save(org, name, parseCsv(text), append);
    cache.invalidate(org);
    deps.logger.info(
      { org, table: name, append, rows: table.records, files: table.files },
      'enrichment table saved',
    );
    res.json({ code: 200, message: 'Saved enrichment table' });
  });

  return router;
}
