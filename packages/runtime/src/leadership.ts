import type { Campaign, Cluster } from '@o2/cluster';
import type { Lifecycle } from '@o2/lifecycle';
import type { Logger } from '@o2/logger';
import type { Registry } from 'prom-client';
import { leaderGauge } from './leader-gauge.js';

export interface Leadership extends Lifecycle {
  isLeader(): boolean;
}

export interface LeadershipOptions {
  cluster: Cluster;
  logger: Logger;
  /** Lease name: one leader per name across the cluster (e.g. `compactor`). */
  lease: string;
  holderId: string;
  ttlMs: number;
  /** Where `zo_leader{lease}` goes, when the process serves metrics. */
  registry?: Registry;
  onElected?: () => void | Promise<void>;
  onLost?: () => void | Promise<void>;
}

/**
 * Campaigns for a cluster-wide singleton job (compaction, alert scheduling) while running and
 * resigns on stop, so a standby takes over at once on a clean shutdown and within the lease TTL
 * after a crash.
 */
export function leadership(options: LeadershipOptions): Leadership {
  const { cluster, logger, lease, holderId, ttlMs } = options;
  let campaign: Campaign | undefined;
  const setLeader = leaderGauge(options.registry);
  return {
    name: `${lease}-leadership`,
    isLeader: () => campaign?.isLeader() ?? false,
    start: () => {
      setLeader(lease, false);
      campaign = cluster.leases.campaign(lease, holderId, {
        ttlMs,
        onElected: async () => {
          logger.info({ lease, holderId }, 'elected leader');
          setLeader(lease, true);
          await options.onElected?.();
        },
        onLost: async () => {
          logger.warn({ lease, holderId }, 'lost leadership');
          setLeader(lease, false);
          await options.onLost?.();
        },
      });
      return Promise.resolve();
    },
    stop: async () => {
      await campaign?.resign();
      campaign = undefined;
      setLeader(lease, false);
    },
  };
}
