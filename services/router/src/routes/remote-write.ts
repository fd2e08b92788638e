import { Router } from 'express';
import { AppError } from '@o2/errors';
import { orgContext } from '../auth/auth-context.js';
import { readIngestBody } from '../http/ingest-body.js';
import { idempotencyKeyOf } from './ingest.js';
import type { RouteDeps } from './route-deps.js';

/**
 * Prometheus remote write (O2-CONTRACT §8.4): `POST /api/{org}/prometheus/api/v1/write`, a
 * snappy-compressed `WriteRequest` (`Content-Encoding: snappy`). The body goes to the ingester
 * still compressed — it decodes (bounded by ZO_PAYLOAD_LIMIT), elects the HA leader and writes
 * one metric stream per name through the WAL. Success is 204, as Prometheus's own receiver
 * answers; 4xx tells the sender not to retry, 429/503 to retry later.
 */
export function remoteWriteRoutes(deps: RouteDeps): Router {
  const router = Router();
  router.post('/:org/prometheus/api/v1/write', async (req, res) => {
    const { org } = orgContext(req);
    if (deps.ingest === undefined) throw new AppError('UNAVAILABLE', 'No ingester is available');
    const type = (req.get('content-type') ?? 'application/x-protobuf').split(';')[0]?.trim();
    if (type !== 'application/x-protobuf' && type !== 'application/protobuf')
      throw new AppError(
        'UNSUPPORTED_MEDIA_TYPE',
        `Unsupported Content-Type "${req.get('content-type') ?? ''}"; remote write takes application/x-protobuf`,
      );
    const coding = req.get('content-encoding')?.trim().toLowerCase();
    if (coding !== 'snappy')
      throw new AppError(
        'UNSUPPORTED_MEDIA_TYPE',
        `Unsupported Content-Encoding "${coding ?? ''}"; remote write bodies are snappy-compressed`,
      );
    const body = await readIngestBody(req, deps.config.ZO_PAYLOAD_LIMIT, { keepCoding: 'snappy' });
    await deps.ingest.ingest({
      ...idempotencyKeyOf(req),
      org,
      streamType: 'metrics',
      format: 'prom_remote_write',
      body,
    });
    res.status(204).end();
  });
  return router;
}
