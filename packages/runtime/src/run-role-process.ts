import type { NodeInfo } from '@o2/cluster';
import type { Config, NodeRole } from '@o2/config';
import { runMain, runUntilSignal } from '@o2/lifecycle';
import type { Lifecycle } from '@o2/lifecycle';
import type { Logger } from '@o2/logger';
import { Registry, collectDefaultMetrics } from 'prom-client';
import { clusterMembership, nodeInfoFor } from './cluster-membership.js';
import { loadProcessConfig } from './load-process-config.js';
import { openAdapters } from './open-adapters.js';
import type { Adapters } from './open-adapters.js';
import { opsServer } from './ops/ops-server.js';
import { coordinationProbe, metaStoreProbe, objectStoreProbe } from './ops/readiness.js';
import { idleCollector } from './idle-collector.js';
import type { ReasonSource } from './ops/readiness.js';

export interface RoleContext {
  config: Config;
  logger: Logger;
  adapters: Adapters;
  node: NodeInfo;
  /** This process's metrics registry, served on the ops port's /metrics. */
  registry: Registry;
  /** Adds a part's own degraded reasons (an ingester's full WAL disk) to the ops /readyz. */
  addReadinessSource: (source: ReasonSource) => void;
}

export interface RoleProcessOptions {
  /** Process name in logs and start-up errors, e.g. `o2ts-compactor`. */
  name: string;
  /**
   * The role this image runs. Overrides ZO_NODE_ROLE so each image is exactly one role; `all`
   * is the standalone image, where ZO_NODE_ROLE may still pick roles in cluster mode.
   */
  role: NodeRole | 'all';
  env: Readonly<Record<string, string | undefined>>;
  cwd: string;
  /** Builds the role's parts, in start order; they stop in reverse, before the adapters close. */
  build(context: RoleContext): Promise<Lifecycle[]> | Lifecycle[];
}

const HAS_OWN_API = new Set<RoleProcessOptions['role']>(['router', 'all']);

/**
 * The whole life of one O2TS process: config → logger → adapters → the role's parts → node
 * registration → wait for SIGTERM → ordered shutdown (parts, then leave the cluster, then close
 * the adapters). Start-up errors print one clear message and exit 1.
 */
export function runRoleProcess(options: RoleProcessOptions): void {
  runMain(options.name, async () => {
    const env =
      options.role === 'all' ? options.env : { ...options.env, ZO_NODE_ROLE: options.role };
    const { config, logger } = loadProcessConfig(options.name, env, options.cwd);
    const adapters = await openAdapters(config, logger);
    const node = nodeInfoFor(config);
    const ownApi = HAS_OWN_API.has(options.role);
    const registry = new Registry();
    // The router's app adds these to its own registry; here only for the ops port's.
    if (!ownApi) collectDefaultMetrics({ register: registry, prefix: 'zo_' });
    // Not ready while the role's parts start (an ingester replaying its WAL) or stop.
    let phase: 'starting' | 'running' | 'stopping' = 'starting';
    const sources: ReasonSource[] = [
      () => (phase === 'running' ? [] : [`${options.name} is ${phase}`]),
    ];
    const addReadinessSource = (source: ReasonSource) => {
      sources.push(source);
    };
    let parts: Lifecycle[];
    try {
      parts = await options.build({
        config,
        logger,
        adapters,
        node,
        registry,
        addReadinessSource,
      });
    } catch (error) {
      await adapters.lifecycle.stop();
      throw error;
    }
    // Peers find a node as soon as it registers, so it joins once its parts run (an ingester
    // replaying its WAL has no gRPC server yet) and, as before, leaves after they stopped.
    const membership = clusterMembership(adapters.cluster, node);
    const idle = () => Promise.resolve();
    // The router (and the single node, through its router) serves these on its API port.
    const ops = ownApi
      ? []
      : [
          opsServer({
            port: config.ZO_HTTP_PORT,
            host: config.ZO_HTTP_ADDR,
            logger,
            registry,
            metricsEnabled: config.ZO_PROMETHEUS_ENABLED,
            probes: [
              metaStoreProbe(adapters.metaStore),
              objectStoreProbe(adapters.objectStore),
              coordinationProbe(adapters.cluster),
            ],
            sources,
          }),
        ];
    await runUntilSignal({
      logger,
      parts: [
        adapters.lifecycle,
        // Up before the role's parts (an ingester replaying its WAL is alive), down after them.
        ...ops,
        { name: 'cluster-leave', start: idle, stop: () => membership.stop() },
        ...parts,
        { name: 'cluster-join', start: () => membership.start(), stop: idle },
        // Gives the native memory of a burst (ingest, merges) back once the process is quiet.
        idleCollector(),
        {
          name: 'readiness',
          start: () => {
            phase = 'running';
            return Promise.resolve();
          },
          stop: () => {
            phase = 'stopping';
            return Promise.resolve();
          },
        },
      ],
    });
  });
}
