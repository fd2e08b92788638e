import type { Cluster } from '@o2/cluster';
import type { Config } from '@o2/config';
import { compactionDecodedBytes } from '@o2/config';
import {
  DATA_DELETION_REQUESTED_TOPIC,
  STREAM_DELETION_REQUESTED_TOPIC,
  subscribeEvent,
} from '@o2/domain';
import type { Logger } from '@o2/logger';
import type { MetaStore } from '@o2/metastore';
import { leadership } from '@o2/runtime';
import type { Leadership, LeadershipOptions } from '@o2/runtime';
import type { ObjectStore } from '@o2/storage';
import { FileIdGenerator, ParquetEncoderPool, BACKGROUND_NICENESS } from '@o2/parquet';
import { FileIndexPool } from '@o2/token-index';
import { compactorMetrics } from './compactor-metrics.js';
import { inProcessCutoff, purgeDeletedFiles } from './file-list-upkeep.js';
import type { RunningReads } from './file-list-upkeep.js';
import { mergeStream } from './merge-files.js';
import type { MergeDeps, MergeRun } from './merge-files.js';
import { applyRetention, runDataDeletion } from './retention.js';
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
  /**
   * Given only when every reader of stored files runs in this process (the single node): when
   * its oldest running query began. Files marked deleted well before that are purged without
   * waiting out ZO_COMPACT_DELETE_FILES_DELAY_MINUTES.
   */
  storedFileReads?: RunningReads;
}

/** What one pass did. */
export interface CompactorRun {
  /** Stream deletions finished / failed (a failed one stays pending). */
  streamDeletions: StreamDeletionRun;
  /** Delete-by-time-range jobs finished / failed, and the files they deleted. */
  dataDeletions: StreamDeletionRun & { files: number };
  /** Small-file merges: files written, inputs replaced, small files left for later. */
  merges: MergeRun;
  /** Files of partitions past their retention marked deleted (0 when retention was not due). */
  retentionFiles: number;
  /** Files marked deleted past the delay whose objects and rows were removed. */
  purgedFiles: number;
}

export type Compactor = Leadership & {
  /** One pass now (what the leader runs every ZO_COMPACT_INTERVAL s), leader or not. */
  runOnce(): Promise<CompactorRun>;
};

/** The cluster-wide lease this role's instances compete for; one active at a time. */
export const COMPACTOR_LEASE = 'compactor';
const JOBS_PER_RUN = 1000;

/**
 * The compactor role. Any number of instances may run; exactly one holds the `compactor`
 * lease and does the work, the others stand by and take over within the lease TTL
 * (ZO_NODE_HEARTBEAT_TTL) when the leader dies. A pass: recorded stream deletions, recorded
 * delete-by-time-range jobs, retention (every ZO_COMPACT_DATA_RETENTION_INTERVAL s), merging
 * small files (ZO_COMPACT_ENABLED), and purging files marked deleted once
 * ZO_COMPACT_DELETE_FILES_DELAY_MINUTES have passed. Every part is resumable: a leader killed
 * anywhere leaves work the next pass (its own or a new leader's) finishes.
 *
 * The leader runs every ZO_COMPACT_INTERVAL s, when it is elected (work the old leader left),
 * and when a deletion request event arrives, so a deletion starts within moments.
 */
export function createCompactor(deps: CompactorDeps): Compactor {
  const { config } = deps;
  const logger = deps.logger.child({ module: 'compactor' });
  const now = deps.now ?? Date.now;
  const report = compactorMetrics(deps.registry);
  // Background work: its merges (decode, sort, encode: whole in the worker) give way to queries
  // and request handling on busy CPUs.
  const pool = new ParquetEncoderPool({ size: 1, niceness: BACKGROUND_NICENESS });
  const indexPool = new FileIndexPool({ size: 1, niceness: BACKGROUND_NICENESS });
  let stopping = false;
  const mergeDeps: MergeDeps = {
    metaStore: deps.metaStore,
    objectStore: deps.objectStore,
    events: deps.cluster.events,
    logger,
    maxFileBytes:
      (config.ZO_COMPACT_MAX_FILE_SIZE < 1 ? 512 : config.ZO_COMPACT_MAX_FILE_SIZE) * 1024 * 1024,
    maxDecodedBytes: compactionDecodedBytes(config),
    invertedIndex: config.ZO_ENABLE_INVERTED_INDEX,
    buildIndexes: indexPool.build,
    ids: new FileIdGenerator(),
    merge: (files, cluster) =>
      pool.merge(files, [], {
        cluster,
        ...(config.ZO_PARQUET_MAX_ROW_GROUP_SIZE > 0
          ? { rowGroupSize: config.ZO_PARQUET_MAX_ROW_GROUP_SIZE }
          : {}),
      }),
    now,
    stopping: () => stopping,
  };
  /** When retention last ran in this process (undefined: due at the first pass). */
  let retentionAt: number | undefined;

  const dataDeletions = async (): Promise<CompactorRun['dataDeletions']> => {
    const run = { completed: 0, failed: 0, files: 0 };
    for (const job of await deps.metaStore.dataDeletions.pending(JOBS_PER_RUN)) {
      try {
        run.files += await runDataDeletion(deps.metaStore, job);
        run.completed += 1;
      } catch (err) {
        run.failed += 1;
        logger.error({ job: job.id, org: job.org, stream: job.name, err }, 'data deletion failed');
      }
    }
    return run;
  };

  const merges = async (): Promise<MergeRun> => {
    const total: MergeRun = { merged: 0, replaced: 0, backlog: 0 };
    if (!config.ZO_COMPACT_ENABLED) return total;
    for (const org of await deps.metaStore.orgs.list()) {
      const deleting = new Set(
        (await deps.metaStore.streamDeletions.list(org.identifier)).map(
          (d) => `${d.type}/${d.name}`,
        ),
      );
      for (const stream of await deps.metaStore.streams.list(org.identifier)) {
        if (deleting.has(`${stream.type}/${stream.name}`)) continue;
        const run = await mergeStream(mergeDeps, stream);
        total.merged += run.merged;
        total.replaced += run.replaced;
        total.backlog += run.backlog;
      }
    }
    return total;
  };

  const retention = async (): Promise<number> => {
    const at = now();
    if (
      retentionAt !== undefined &&
      at - retentionAt < config.ZO_COMPACT_DATA_RETENTION_INTERVAL * 1_000
    )
      return 0;
    retentionAt = at;
    return applyRetention({
      metaStore: deps.metaStore,
      logger,
      globalDays: config.ZO_COMPACT_DATA_RETENTION_DAYS,
      now,
    });
  };

  const runOnce = async (): Promise<CompactorRun> => {
    // Each part on its own: a metastore hiccup in one must not skip the others.
    const part = <T>(name: string, work: () => Promise<T>, fallback: T): Promise<T> =>
      work().catch((err: unknown) => {
        logger.error({ err, part: name }, 'compactor part failed; retrying next pass');
        return fallback;
      });
    const streamDeletions = await part(
      'stream deletions',
      () =>
        runStreamDeletions({
          metaStore: deps.metaStore,
          objectStore: deps.objectStore,
          events: deps.cluster.events,
          logger,
        }),
      { completed: 0, failed: 0 },
    );
    const ranges = await part('data deletions', dataDeletions, {
      completed: 0,
      failed: 0,
      files: 0,
    });
    const retentionFiles = await part('retention', retention, 0);
    const merged = await part('merges', merges, { merged: 0, replaced: 0, backlog: 0 });
    const purgedFiles = await part(
      'purge',
      () =>
        purgeDeletedFiles(
          { metaStore: deps.metaStore, objectStore: deps.objectStore, logger },
          now() - config.ZO_COMPACT_DELETE_FILES_DELAY_MINUTES * 60_000,
          inProcessCutoff(deps.storedFileReads, now()),
        ),
      0,
    );
    const pendingJobs = await part(
      'backlog',
      async () =>
        (await deps.metaStore.streamDeletions.pending(JOBS_PER_RUN)).length +
        (await deps.metaStore.dataDeletions.pending(JOBS_PER_RUN)).length,
      0,
    );
    report({
      mergedFiles: merged.merged,
      replacedFiles: merged.replaced,
      mergeBacklog: merged.backlog,
      retentionFiles,
      rangeDeletionFiles: ranges.files,
      purgedFiles,
      pendingJobs,
      failedJobs: streamDeletions.failed + ranges.failed,
    });
    return { streamDeletions, dataDeletions: ranges, merges: merged, retentionFiles, purgedFiles };
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
  let wakeUps: Array<{ unsubscribe(): Promise<void> }> = [];
  return {
    name: 'compactor',
    isLeader: () => lead.isLeader(),
    runOnce,
    start: async () => {
      wakeUps = await Promise.all(
        ([STREAM_DELETION_REQUESTED_TOPIC, DATA_DELETION_REQUESTED_TOPIC] as const).map((topic) =>
          subscribeEvent(deps.cluster.events, topic, runAsLeader, { logger }),
        ),
      );
      await lead.start();
      timer = setInterval(runAsLeader, config.ZO_COMPACT_INTERVAL * 1_000);
      timer.unref();
    },
    stop: async () => {
      stopping = true;
      clearInterval(timer);
      await Promise.all(wakeUps.map((w) => w.unsubscribe()));
      wakeUps = [];
      // The merge under way is dropped, not waited for: nothing of it is written before its
      // result, the next pass redoes it, and in a niced worker on busy CPUs it can take longer
      // than the shutdown may (bench:under-ingest exited 1 on SIGTERM in 2 of 3 runs).
      await pool.abandon();
      await running;
      await lead.stop();
      await running; // a run the election queued while stopping
      await indexPool.close();
    },
  };
}
