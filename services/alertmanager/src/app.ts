import type { Cluster } from '@o2/cluster';
import type { Config } from '@o2/config';
import type { IngestService, PromqlService, SearchService } from '@o2/domain';
import type { CompileFunctionOptions } from '@o2/functions';
import type { Logger } from '@o2/logger';
import type { MetaStore } from '@o2/metastore';
import { leadership } from '@o2/runtime';
import type { Leadership, LeadershipOptions } from '@o2/runtime';
import { smtpConfig, ssrfPolicy } from '@o2/alert-delivery';
import { runDueAlerts } from './scheduler.js';
import type { SchedulerPass } from './scheduler.js';
import { runDuePipelines } from './scheduled-pipelines.js';
import type { PipelinePass } from './scheduled-pipelines.js';

export interface AlertmanagerDeps {
  config: Config;
  logger: Logger;
  cluster: Cluster;
  metaStore: MetaStore;
  /** The querier's SQL and PromQL faces (in process, or gRPC clients in a cluster). */
  search?: SearchService;
  promql?: PromqlService;
  /**
   * Where scheduled pipelines store their output (the ingester, in process or over gRPC);
   * without it scheduled pipelines do not run.
   */
  ingest?: IngestService;
  /** The org's VRL functions beyond the standard library, for pipeline functions. */
  vrlFunctions?: (org: string) => Promise<CompileFunctionOptions['vrlFunctions']>;
  /** This node's registry id; the lease records it as the holder. */
  nodeId: string;
  /** The process registry, for `zo_leader{lease}`. */
  registry?: LeadershipOptions['registry'];
  /** Wall clock in ms (tests pin it). */
  now?: () => number;
}

export type Alertmanager = Leadership & {
  /** One scheduler pass now, leader or not (the claim keeps it exactly-once either way). */
  runOnce(): Promise<SchedulerPass>;
  /** One pass over the scheduled pipelines now (claimed per run, as alerts are). */
  runPipelinesOnce(): Promise<PipelinePass>;
};

/** The cluster-wide lease this role's instances compete for; one active at a time. */
export const ALERTMANAGER_LEASE = 'alertmanager';

/**
 * The alertmanager role. Any number of instances may run; the one holding the `alertmanager`
 * lease runs the scheduler every ZO_ALERT_SCHEDULE_INTERVAL s: due alerts are claimed in the
 * metastore, evaluated through the querier, notified and recorded. The schedule lives in the
 * metastore, so a standby that takes over (within ZO_NODE_HEARTBEAT_TTL) carries on from it, and
 * the claim keeps every run to one evaluation even while two processes both believe they lead.
 */
export function createAlertmanager(deps: AlertmanagerDeps): Alertmanager {
  const { config } = deps;
  const logger = deps.logger.child({ module: 'alertmanager' });
  const now = deps.now ?? Date.now;
  const schedulerDeps = {
    metaStore: deps.metaStore,
    logger,
    nodeId: deps.nodeId,
    policy: ssrfPolicy(config),
    smtp: smtpConfig(config),
    webUrl: config.ZO_WEB_URL,
    minuteMs: config.ZO_ALERT_MINUTE_SECONDS * 1000,
    now,
    search: deps.search,
    promql: deps.promql,
  };
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> = Promise.resolve();
  let busy = false;

  const pipelineDeps = {
    ...{ metaStore: deps.metaStore, nodeId: deps.nodeId, now, search: deps.search },
    logger: deps.logger.child({ module: 'scheduled-pipelines' }),
    minuteMs: schedulerDeps.minuteMs,
    flattenLevel: config.ZO_INGEST_FLATTEN_LEVEL,
    ingest: deps.ingest,
    vrlFunctions: deps.vrlFunctions,
  };
  const runOnce = () => runDueAlerts(schedulerDeps);
  const runPipelinesOnce = () => runDuePipelines(pipelineDeps);
  const tick = () => {
    if (busy) return;
    busy = true;
    const alerts = runOnce().catch((error: unknown) =>
      logger.error({ err: error }, 'alert scheduler pass failed'),
    );
    // Pipelines run beside alerts; one side failing or being slow never holds the other back
    // beyond this pass.
    const pipelines =
      deps.ingest === undefined
        ? Promise.resolve()
        : runPipelinesOnce().catch((error: unknown) =>
            logger.error({ err: error }, 'scheduled pipeline pass failed'),
          );
    running = Promise.all([alerts, pipelines]).finally(() => {
      busy = false;
    });
  };
  const stopTimer = async () => {
    if (timer !== undefined) clearInterval(timer);
    timer = undefined;
    await running;
  };

  const lead = leadership({
    cluster: deps.cluster,
    logger,
    lease: ALERTMANAGER_LEASE,
    holderId: deps.nodeId,
    ttlMs: config.ZO_NODE_HEARTBEAT_TTL * 1_000,
    registry: deps.registry,
    onElected: () => {
      tick();
      timer ??= setInterval(tick, config.ZO_ALERT_SCHEDULE_INTERVAL * 1000);
    },
    onLost: stopTimer,
  });
  return {
    ...lead,
    runOnce,
    runPipelinesOnce,
    stop: async () => {
      await stopTimer();
      await lead.stop();
    },
  };
}
