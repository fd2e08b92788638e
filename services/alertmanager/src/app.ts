import type { Cluster } from '@o2/cluster';
import type { Config } from '@o2/config';
import type { Logger } from '@o2/logger';
import { leadership } from '@o2/runtime';
import type { Leadership, LeadershipOptions } from '@o2/runtime';

export interface AlertmanagerDeps {
  config: Config;
  logger: Logger;
  cluster: Cluster;
  /** This node's registry id; the lease records it as the holder. */
  nodeId: string;
  /** The process registry, for `zo_leader{lease}`. */
  registry?: LeadershipOptions['registry'];
}

export type Alertmanager = Leadership;

/** The cluster-wide lease this role's instances compete for; one active at a time. */
export const ALERTMANAGER_LEASE = 'alertmanager';

/**
 * The alertmanager role. Any number of instances may run; exactly one holds the `alertmanager`
 * lease and does the work, the others stand by and take over within the lease TTL
 * (ZO_NODE_HEARTBEAT_TTL) when the leader dies.
 */
export function createAlertmanager(deps: AlertmanagerDeps): Alertmanager {
  return leadership({
    cluster: deps.cluster,
    logger: deps.logger.child({ module: 'alertmanager' }),
    lease: ALERTMANAGER_LEASE,
    holderId: deps.nodeId,
    ttlMs: deps.config.ZO_NODE_HEARTBEAT_TTL * 1_000,
    registry: deps.registry,
  });
}
