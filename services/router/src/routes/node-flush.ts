import { Router } from 'express';
import { requireNodeAdmin } from './node-admin.js';
import type { RouteDeps } from './route-deps.js';

/**
 * `PUT /node/flush`: memtables → Parquet → storage on this node's ingester, answered once it is
 * all done (tests and preStop hooks rely on that). Root, or an admin of some org, only: `/node`
 * has no org, and a flush affects every org on the node.
 */
export function nodeFlushRoutes(deps: RouteDeps): Router {
  const router = Router();
  router.put('/flush', async (req, res) => {
    await requireNodeAdmin(deps, req);
    if (deps.ingester === undefined) {
      res.status(404).json('local node is not an ingester');
      return;
    }
    await deps.ingester.flush();
    res.json(true);
  });
  return router;
}
