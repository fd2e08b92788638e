import { Router } from 'express';
import type { QuarantinedPartition } from '@o2/domain';
import { requireNodeAdmin } from './node-admin.js';
import type { RouteDeps } from './route-deps.js';

function wireEntry(entry: QuarantinedPartition): Record<string, unknown> {
  return {
    ...(entry.node === undefined ? {} : { node: entry.node }),
    org: entry.org,
    stream_type: entry.streamType,
    stream: entry.stream,
    partition: entry.partition,
    stage: entry.stage,
    rows: entry.rows,
    bytes: entry.bytes,
    error: entry.error,
    attempts: entry.attempts,
    first_failed_at: new Date(entry.firstFailedAt).toISOString(),
    quarantined_at: new Date(entry.quarantinedAt).toISOString(),
    path: entry.path,
  };
}

/**
 * `GET /node/quarantine`: the partitions the ingester(s) set aside after failing to persist or
 * upload too often — in cluster mode every live ingester's, each entry naming its node. The
 * data stays in the listed directory until an operator deals with it. Same access rule as
 * `PUT /node/flush`.
 */
export function nodeQuarantineRoutes(deps: RouteDeps): Router {
  const router = Router();
  router.get('/quarantine', async (req, res) => {
    await requireNodeAdmin(deps, req);
    if (deps.ingester === undefined) {
      res.status(404).json({ code: 404, message: 'local node is not an ingester' });
      return;
    }
    const entries = await deps.ingester.quarantine();
    res.json({ entries: entries.map(wireEntry) });
  });
  return router;
}
