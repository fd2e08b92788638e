import { Router } from 'express';
import type { Request, RequestHandler } from 'express';
import type { IngestService, StreamKind } from '@o2/domain';
import { otlpFormatOf } from '@o2/domain';
import { AppError } from '@o2/errors';
import { otlpExportResponse } from '@o2/otlp';
import type { OtlpEncoding } from '@o2/otlp';
import { orgContext } from '../auth/auth-context.js';
import { enterOrg } from '../auth/org-access.js';
import { readIngestBody } from '../http/ingest-body.js';
import { idempotencyKeyOf } from './ingest.js';
import { renderIngestionResponse } from './ingest-responses.js';
import type { RouteDeps } from './route-deps.js';

const DEFAULT_STREAM = 'default';

function requireIngest(ingest: IngestService | undefined): IngestService {
  if (ingest === undefined) throw new AppError('UNAVAILABLE', 'No ingester is available');
  return ingest;
}

/** The body's OTLP encoding from its Content-Type (parameters such as charset ignored). */
export function otlpEncodingOf(contentType: string | undefined): OtlpEncoding {
  const type = (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (type === 'application/x-protobuf' || type === 'application/protobuf') return 'protobuf';
  if (type === 'application/json') return 'json';
  throw new AppError(
    'UNSUPPORTED_MEDIA_TYPE',
    `Unsupported Content-Type "${contentType ?? ''}"; OTLP/HTTP takes application/x-protobuf or application/json`,
  );
}

function streamOf(req: Request, headerName: string): string {
  const header = req.get(headerName);
  return header === undefined || header.trim() === '' ? DEFAULT_STREAM : header.trim();
}

/**
 * OTLP/HTTP (`POST /api/{org}/v1/logs|metrics|traces`, plus O2's `/traces` and
 * `/otel/v1/traces` aliases) and metrics `_json`. The raw body goes to the ingester with its
 * format; the answer is the Export*ServiceResponse in the request's encoding (206 with
 * `partialSuccess` when items were rejected). Logs and traces go to the stream the
 * ZO_GRPC_STREAM_HEADER_KEY header (`stream-name`) names (else `default`); metrics go one
 * stream per metric name. `Idempotency-Key` is honoured as on the other ingest routes.
 */
export function otlpIngestRoutes(deps: RouteDeps): Router {
  const { config } = deps;
  const router = Router();

  /**
   * The org of an export: the path's, except that O2 lets the `organization` header
   * (ZO_GRPC_ORG_HEADER_KEY) name another for traces — which the caller must be allowed into
   * like any org (a passcode only reaches its own).
   */
  const targetOrg = async (req: Request, signal: StreamKind): Promise<string> => {
    const context = orgContext(req);
    const named = signal === 'traces' ? req.get(config.ZO_GRPC_ORG_HEADER_KEY)?.trim() : undefined;
    if (named === undefined || named === '' || named === context.org) return context.org;
    await enterOrg(deps.metaStore, context, named);
    return named;
  };

  const exportRoute =
    (signal: StreamKind): RequestHandler =>
    async (req, res) => {
      const org = await targetOrg(req, signal);
      const encoding = otlpEncodingOf(req.get('content-type'));
      const ingest = requireIngest(deps.ingest);
      const body = await readIngestBody(req, config.ZO_PAYLOAD_LIMIT);
      const key = idempotencyKeyOf(req);
      const result = await ingest.ingest({
        ...key,
        org,
        ...(signal === 'metrics'
          ? {}
          : { stream: streamOf(req, config.ZO_GRPC_STREAM_HEADER_KEY) }),
        streamType: signal,
        format: otlpFormatOf(signal, encoding),
        body,
      });
      const answer = otlpExportResponse(
        signal,
        encoding,
        result.otlp ?? { rejected: 0, errorMessage: '' },
      );
      res.status(answer.status).type(answer.contentType);
      res.send(typeof answer.body === 'string' ? answer.body : Buffer.from(answer.body));
    };

  router.post('/:org/v1/logs', exportRoute('logs'));
  router.post('/:org/v1/metrics', exportRoute('metrics'));
  router.post('/:org/v1/traces', exportRoute('traces'));
  router.post('/:org/traces', exportRoute('traces'));
  router.post('/:org/otel/v1/traces', exportRoute('traces'));

  router.post('/:org/ingest/metrics/_json', async (req, res) => {
    const { org } = orgContext(req);
    const ingest = requireIngest(deps.ingest);
    const body = await readIngestBody(req, config.ZO_PAYLOAD_LIMIT);
    const key = idempotencyKeyOf(req);
    const result = await ingest.ingest({
      ...key,
      org,
      streamType: 'metrics',
      format: 'metrics_json',
      body,
    });
    if (result.response === undefined)
      throw AppError.internal('ingester gave no response to a metrics _json request');
    res.json(renderIngestionResponse(result.response));
  });

  return router;
}
