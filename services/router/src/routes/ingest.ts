import { Router } from 'express';
import type { Request, RequestHandler } from 'express';
import type { IngestFormat, IngestService } from '@o2/domain';
import { idempotencyKeyProblem } from '@o2/domain';
import { AppError } from '@o2/errors';
import { orgContext } from '../auth/auth-context.js';
import { readIngestBody } from '../http/ingest-body.js';
import { ingestStreamParam } from '../http/stream-param.js';
import { ELASTIC_PRODUCT_HEADER } from './es-compat.js';
import { bulkResponseText, renderIngestionResponse } from './ingest-responses.js';
import type { RouteDeps } from './route-deps.js';

function requireIngest(ingest: IngestService | undefined): IngestService {
  if (ingest === undefined) throw new AppError('UNAVAILABLE', 'No ingester is available');
  return ingest;
}

/**
 * The request's `Idempotency-Key` header (O2 has no request-id header for ingest, so this is
 * the one key honoured), checked after the body is read (so the client gets the 400, not a
 * reset mid-upload).
 */
export function idempotencyKeyOf(req: Request): { idempotencyKey?: string } {
  const key = req.get('idempotency-key');
  if (key === undefined) return {};
  const problem = idempotencyKeyProblem(key);
  if (problem !== undefined) throw AppError.invalidArgument(problem);
  return { idempotencyKey: key };
}

/**
 * `/api/{org}/{stream}/_json`, `/_multi` and `/api/{org}/_bulk`: the raw body (any Content-Type,
 * as O2 accepts `curl -d`'s form type), decoded and size-limited, goes to the IngestService as
 * bytes; its answer is sent back as O2 shapes it. Overload surfaces as 503 + Retry-After.
 */
export function ingestRoutes(deps: RouteDeps): Router {
  const { config } = deps;
  const router = Router();

  const streamIngest =
    (format: Exclude<IngestFormat, 'bulk'>): RequestHandler =>
    async (req, res) => {
      const { org } = orgContext(req);
      const stream = ingestStreamParam(req.params, config);
      const ingest = requireIngest(deps.ingest);
      const body = await readIngestBody(req, config.ZO_PAYLOAD_LIMIT);
      const key = idempotencyKeyOf(req);
      const result = await ingest.ingest({ org, stream, streamType: 'logs', format, body, ...key });
      if (result.response === undefined)
        throw AppError.internal(`ingester gave no response to a ${format} request`);
      const { code } = result.response;
      res
        .status(code >= 200 && code < 600 ? code : 200)
        .json(renderIngestionResponse(result.response));
    };

  router.post('/:org/:stream/_json', streamIngest('json'));
  router.post('/:org/:stream/_multi', streamIngest('multi'));

  router.post('/:org/_bulk', async (req, res) => {
    const { org } = orgContext(req);
    const ingest = requireIngest(deps.ingest);
    const body = await readIngestBody(req, config.ZO_PAYLOAD_LIMIT);
    const key = idempotencyKeyOf(req);
    const result = await ingest.ingest({ org, streamType: 'logs', format: 'bulk', body, ...key });
    if (result.bulk === undefined) throw AppError.internal('ingester gave no bulk response');
    // Elasticsearch 8 clients check the product header on every answer, bulk included.
    res
      .set(ELASTIC_PRODUCT_HEADER, 'Elasticsearch')
      .type('application/json')
      .send(bulkResponseText(result.bulk, config.ZO_BULK_RESPONSE_INCLUDE_ERRORS_ONLY));
  });

  return router;
}
