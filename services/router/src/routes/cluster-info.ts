import { Router } from 'express';
import type { Request } from 'express';
import type { ClusterNode } from '@o2/cluster';
import { canManageUsers, META_ORG } from '@o2/domain';
import { AppError } from '@o2/errors';
import type { ClusterInfo, NodeList } from '@o2/api-schemas';
import { orgContext } from '../auth/auth-context.js';
import type { RouteDeps } from './route-deps.js';
import { routerVersion } from './server-config.js';

/** O2 groups nodes by region (a super-cluster notion); a plain cluster is one region. */
const REGION = 'default';
/** Counting stops here: a figure for people, not an exact backlog. */
const MAX_COUNTED = 10_000;

/**
 * `GET /api/_meta/node/list` and `/api/_meta/cluster/info`: the live nodes of this cluster (from
 * the node registry) and its pending background work, grouped by region and cluster as O2 does.
 * As in O2, only the `_meta` org answers (403 elsewhere); we also require its admins or root.
 */
export function clusterInfoRoutes(deps: RouteDeps): Router {
  const { config } = deps;
  const router = Router();
  const version = routerVersion();

  function requireMeta(req: Request): void {
    const { org, role } = orgContext(req);
    if (org !== META_ORG)
      throw AppError.permissionDenied(
        `This API is only available for the ${META_ORG} organization`,
      );
    if (!canManageUsers(role)) throw AppError.permissionDenied();
  }

  const toBody = (node: ClusterNode) => ({
    id: node.id,
    name: node.name,
    http_addr: node.httpAddr,
    grpc_addr: node.grpcAddr,
    role: [...node.roles],
    status: 'online',
    started_at: node.startedAt * 1000,
    heartbeat_at: node.heartbeatAt * 1000,
    version,
  });

  router.get('/:org/node/list', async (req, res) => {
    requireMeta(req);
    if (deps.nodes === undefined)
      throw new AppError('UNAVAILABLE', 'the node registry is not wired');
    const nodes = await deps.nodes.list();
    const body: NodeList = {
      regions: { [REGION]: { clusters: { [config.ZO_CLUSTER_NAME]: nodes.map(toBody) } } },
    };
    res.json(body);
  });

  router.get('/:org/cluster/info', async (req, res) => {
    requireMeta(req);
    // The compactor's queue: stream deletions it has not finished.
    const pending = await deps.metaStore.streamDeletions.pending(MAX_COUNTED);
    const body: ClusterInfo = {
      regions: {
        [REGION]: { clusters: { [config.ZO_CLUSTER_NAME]: { pending_jobs: pending.length } } },
      },
    };
    res.json(body);
  });

  return router;
}
