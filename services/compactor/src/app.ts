import type { Cluster } from '@o2/cluster';
import type { Config } from '@o2/config';
import type { Logger } from '@o2/logger';
import type { MetaStore } from '@o2/metastore';
import { leadership } from '@o2/runtime';
import type { Leadership } from '@o2/runtime';
import type { ObjectStore } from '@o2/storage';
import { purgeDeletedFiles } from './file-list-upkeep.js';

export interface CompactorDeps {
  config: Config;
  logger: Logger;
  cluster: Cluster;
  metaStore: MetaStore;
  objectStore: ObjectStore;
  /** This node's registry id; the lease records it as the holder. */
  nodeId: string;
  /** Wall clock in ms (tests pin it). */
  now?: () => number;
}

export type Compactor = Leadership & {
  /** One upkeep pass now (what the leader runs every ZO_COMPACT_INTERVAL s). */
  runOnce(): Promise<number>;
};

/** The cluster-wide lease this role's instances compete for; one active at a time. */
export const COMPACTOR_LEASE = 'compactor';

/**
 * The compactor role. Any number of instances may run; exactly one holds the `compactor`
 * lease and does the work, the others stand by and take over within the lease TTL
 * (ZO_NODE_HEARTBEAT_TTL) when the leader dies. The work so far is file_list upkeep (purging
 * files marked deleted once ZO_COMPACT_DELETE_FILES_DELAY_MINUTES have passed); merging small
 * files and retention come with their issue.
 */
export function createCompactor(deps: CompactorDeps): Compactor {
  const { config } = deps;
  const logger = deps.logger.child({ module: 'compactor' });
  const now = deps.now ?? Date.now;
  const lead = leadership({
    cluster: deps.cluster,
    logger,
    lease: COMPACTOR_LEASE,
    holderId: deps.nodeId,
    ttlMs: config.ZO_NODE_HEARTBEAT_TTL * 1_000,
  });
  const runOnce = (): Promise<number> =>
    purgeDeletedFiles(
      { metaStore: deps.metaStore, objectStore: deps.objectStore, logger },
      now() - config.ZO_COMPACT_DELETE_FILES_DELAY_MINUTES * 60_000,
    );
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> = Promise.resolve();
  return {
    name: 'compactor',
    isLeader: () => lead.isLeader(),
    runOnce,
    start: async () => {
      await lead.start();
      timer = setInterval(() => {
        if (!lead.isLeader()) return;
        running = running
          .then(runOnce)
          .catch((err: unknown) => logger.error({ err }, 'file_list upkeep failed'));
      }, config.ZO_COMPACT_INTERVAL * 1_000);
      timer.unref();
    },
    stop: async () => {
      clearInterval(timer);
      await running;
      await lead.stop();
    },
  };
}
