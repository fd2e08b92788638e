import { Router } from 'express';
import type { OrgSummary } from '@o2/api-schemas';
import { orgContext } from '../auth/auth-context.js';
import type { RouteDeps } from './route-deps.js';
import { listStreamSummaries } from './stream-catalog.js';
import { requireOrg } from './user-fields.js';

/**
 * `GET /api/{org}/summary`: O2's `OrgSummary`. Stream figures are the sums of what the streams
 * list shows (stored files plus what the ingester still holds; sizes in MB); we have no
 * pipelines or alerts counts yet, so those count zero.
 */
export function summaryRoutes(deps: RouteDeps): Router {
  const router = Router();
  router.get('/:org/summary', async (req, res) => {
    const { org } = orgContext(req);
    // Root may name any org; one that does not exist has no summary (O2: 404).
    await requireOrg(deps.metaStore, org);
    const streams = await listStreamSummaries(deps, org);
    const sum = (pick: (s: (typeof streams)[number]) => number) =>
      streams.reduce((total, s) => total + pick(s), 0);
    const body: OrgSummary = {
      streams: {
        num_streams: streams.length,
        total_records: sum((s) => s.stats.doc_num),
        total_storage_size: sum((s) => s.stats.storage_size),
        total_compressed_size: sum((s) => s.stats.compressed_size),
        total_index_size: sum((s) => s.stats.index_size),
      },
      pipelines: { num_realtime: 0, num_scheduled: 0 },
      alerts: { num_realtime: 0, num_scheduled: 0 },
      total_functions: (await deps.metaStore.functions.list(org)).length,
      total_dashboards: await deps.metaStore.dashboards.count(org),
    };
    res.json(body);
  });
  return router;
}
