import type { Cluster } from '@o2/cluster';
import type { Config } from '@o2/config';
import { STREAM_DELETION_REQUESTED_TOPIC, subscribeEvent } from '@o2/domain';
import type { Logger } from '@o2/logger';
import type { MetaStore } from '@o2/metastore';
import { leadership } from '@o2/runtime';
import type { Leadership, LeadershipOptions } from '@o2/runtime';
import type { ObjectStore } from '@o2/storage';
import { purgeDeletedFiles } from './file-list-upkeep.js';
import { runStreamDeletions } from './stream-deletion.js';
import type { StreamDeletionRun } from './stream-deletion.js';

export interface CompactorDeps {
  config: Config;
  logger: Logger;
  cluster: Cluster;
  metaStore: MetaStore;
  objectStore: ObjectStore;
  /** This node's registry id; the lease records it as the holder. */
  nodeId: string;
  /** The process registry, for `zo_leader{lease}`. */
  registry?: LeadershipOptions['registry'];
  /** Wall clock in ms (tests pin it). */
  now?: () => number;
}

/** What one pass did. */
export interface CompactorRun {
  /** Stream deletions finished / failed (a failed one stays pending). */
  streamDeletions: StreamDeletionRun;
  /** Files marked deleted past the delay whose objects and rows were removed. */
  purgedFiles: number;
}

export type Compactor = Leadership & {
  /** One pass now (what the leader runs every ZO_COMPACT_INTERVAL s), leader or not. */
  runOnce(): Promise<CompactorRun>;
};

/** The cluster-wide lease this role's instances compete for; one active at a time. */
export const COMPACTOR_LEASE = 'compactor';

/**
 * The compactor role. Any number of instances may run; exactly one holds the `compactor`
 * lease and does the work, the others stand by and take over within the lease TTL
 * (ZO_NODE_HEARTBEAT_TTL) when the leader dies. The work so far: carrying out recorded stream
 * deletions, and purging files marked deleted once ZO_COMPACT_DELETE_FILES_DELAY_MINUTES have
 * passed; merging small files and retention come with their issue.
 *
 * The leader runs every ZO_COMPACT_INTERVAL s, when it is elected (a request the old leader left
 * unfinished), and when a `stream.deletion_requested` event arrives, so a deletion is done
 * within moments rather than a full interval.
 */
export function createCompactor(deps: CompactorDeps): Compactor {
  const { config } = deps;
  const logger = deps.logger.child({ module: 'compactor' });
  const now = deps.now ?? Date.now;

  const runOnce = async (): Promise<CompactorRun> => {
    // Each part on its own: a metastore hiccup in one must not skip the other.
    const streamDeletions = await runStreamDeletions({
      metaStore: deps.metaStore,
      objectStore: deps.objectStore,
      events: deps.cluster.events,
      logger,
    }).catch((err: unknown) => {
      logger.error({ err }, 'listing stream deletions failed');
      return { completed: 0, failed: 0 };
    });
    const purgedFiles = await purgeDeletedFiles(
      { metaStore: deps.metaStore, objectStore: deps.objectStore, logger },
      now() - config.ZO_COMPACT_DELETE_FILES_DELAY_MINUTES * 60_000,
    );
    return { streamDeletions, purgedFiles };
  };

  // Runs one at a time; a wake-up while a run is waiting to start joins that run, one that
  // comes while a run is going queues the next (the going run may have listed before it).
  let running: Promise<unknown> = Promise.resolve();
  let queued = false;
  const runAsLeader = (): void => {
    if (queued) return;
    queued = true;
    running = running
      .then(() => {
        queued = false;
        return lead.isLeader() ? runOnce() : undefined;
      })
      .catch((err: unknown) => logger.error({ err }, 'compactor run failed'));
  };

  const lead = leadership({
    cluster: deps.cluster,
    logger,
    lease: COMPACTOR_LEASE,
    holderId: deps.nodeId,
    ttlMs: config.ZO_NODE_HEARTBEAT_TTL * 1_000,
    registry: deps.registry,
    onElected: runAsLeader,
  });
  let timer: NodeJS.Timeout | undefined;
  let wakeUps: { unsubscribe(): Promise<void> } | undefined;
  return {
    name: 'compactor',
    isLeader: () => lead.isLeader(),
    runOnce,
    start: async () => {
      wakeUps = await subscribeEvent(
        deps.cluster.events,
        STREAM_DELETION_REQUESTED_TOPIC,
        runAsLeader,
        {
          logger,
        },
      );
      await lead.start();
      timer = setInterval(runAsLeader, config.ZO_COMPACT_INTERVAL * 1_000);
      timer.unref();
    },
    stop: async () => {
      clearInterval(timer);
      await wakeUps?.unsubscribe();
      await running;
      await lead.stop();
      await running; // a run the election queued while stopping
    },
  };
}
