import { Router } from 'express';
import type { Request } from 'express';
import { z } from 'zod';
import { sendHttp, ssrfPolicy } from '@o2/alert-delivery';
import type { Config } from '@o2/config';
import { resolveStreamName } from '@o2/domain';
import type { UserRole } from '@o2/domain';
import { parseCsv } from '@o2/enrichment';
import { AppError } from '@o2/errors';
import { orgContext } from '../auth/auth-context.js';
import { readIngestBody } from '../http/ingest-body.js';
import { singleMultipartFile } from '../http/multipart-file.js';
import { parseBody } from '../http/parse-body.js';
import { pathParam } from '../http/path-param.js';
import { queryParam } from '../http/query-params.js';
import type { RouteDeps } from './route-deps.js';
import { requireOrg } from './user-fields.js';

const URL_TIMEOUT_MS = 60_000;

const urlBody = z.object({
  url: z.string().min(1),
  append: z.boolean().optional(),
});

/** Bytes an uploaded or fetched CSV may have (`ZO_ENRICHMENT_TABLE_LIMIT` MB, within the body limit). */
function uploadLimit(config: Config): number {
  return Math.min(config.ZO_PAYLOAD_LIMIT, config.ZO_ENRICHMENT_TABLE_LIMIT * 1024 * 1024);
}

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
 * joined in SQL as `enrichment_tables."name"`). `…/{name}/url` fetches the CSV from a URL.
 */
export function enrichmentTablesRoutes(deps: RouteDeps): Router {
  const { config, metaStore, enrichment } = deps;
  const router = Router();
  const storeOf = (): NonNullable<RouteDeps['enrichment']> => {
    if (enrichment === undefined)
      throw new AppError('UNAVAILABLE', 'enrichment tables need the object store');
    return enrichment;
  };

  // O2's answer: the URL jobs of each table loaded from a URL (uploaded files have none).
  router.get('/:org/enrichment_tables/status', async (req, res) => {
    const { org } = orgContext(req);
    await requireOrg(metaStore, org);
    const jobs = await storeOf().urlJobs.all(org);
    for (const d of await metaStore.streamDeletions.list(org)) {
      if (d.type === 'enrichment_tables') delete jobs[d.name];
    }
    res.json(jobs);
  });

  router.post('/:org/enrichment_tables/:name', async (req, res) => {
    const { org, role } = orgContext(req);
    requireWriter(role);
    const name = tableName(req, deps);
    const append = appendParam(req);
    const { store, cache, urlJobs } = storeOf();
    await requireOrg(metaStore, org);
    const body = await readIngestBody(req, uploadLimit(config));
    const file = singleMultipartFile(body, req.headers['content-type']);
    const text = new TextDecoder('utf-8', { fatal: false }).decode(file.data);
    const table = await store.save(org, name, parseCsv(text), append);
    cache.invalidate(org);
    if (!append) await urlJobs.clear(org, name);
    deps.logger.info(
      { org, table: name, append, rows: table.records, files: table.files },
      'enrichment table saved',
    );
    res.json({ code: 200, message: 'Saved enrichment table' });
  });

  // O2 fetches the CSV in a background job; here the fetch runs within the request and the
  // answer says how it went. The SSRF policy of notification destinations applies (checked on
  // the addresses the socket connects to; no redirects).
  router.post('/:org/enrichment_tables/:name/url', ...deps.jsonBody, async (req, res) => {
    const { org, role } = orgContext(req);
    requireWriter(role);
    const name = tableName(req, deps);
    const { url, append } = parseBody(urlBody, req.body);
    const { store, cache, urlJobs } = storeOf();
    await requireOrg(metaStore, org);
    const appendData = append ?? appendParam(req);
    let bytes = 0;
    try {
      const fetched = await sendHttp({
        url,
        method: 'get',
        headers: { accept: 'text/csv, */*' },
        body: '',
        skipTlsVerify: false,
        timeoutMs: URL_TIMEOUT_MS,
        policy: ssrfPolicy(config),
        maxAnswerBytes: uploadLimit(config),
      }).catch((err: unknown) => {
        // The URL is the caller's input: one that cannot be fetched is a 400, not our 5xx.
        if (
          err instanceof AppError &&
          (err.code === 'UNAVAILABLE' || err.code === 'DEADLINE_EXCEEDED')
        )
          throw AppError.invalidArgument(`cannot fetch the CSV: ${err.message}`);
        throw err;
      });
      bytes = Buffer.byteLength(fetched.body);
      const csv = parseCsv(fetched.body);
      await store.save(org, name, csv, appendData);
      cache.invalidate(org);
      await urlJobs.record(org, name, {
        url,
        append_data: appendData,
        status: 'completed',
        error_message: null,
        total_bytes_fetched: bytes,
        total_records_processed: csv.rows.length,
      });
      deps.logger.info({ org, table: name, rows: csv.rows.length }, 'enrichment table fetched');
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      await urlJobs.record(org, name, {
        url,
        append_data: appendData,
        status: 'failed',
        error_message: message,
        total_bytes_fetched: bytes,
      });
      throw err;
    }
    res.json({ code: 200, message: 'Saved enrichment table' });
  });

  return router;
}
