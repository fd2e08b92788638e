import type { NodeInfo } from '@o2/cluster';
import type { Config, NodeRole } from '@o2/config';
import { runMain, runUntilSignal } from '@o2/lifecycle';
import type { Lifecycle } from '@o2/lifecycle';
import type { Logger } from '@o2/logger';
import { clusterMembership, nodeInfoFor } from './cluster-membership.js';
import { loadProcessConfig } from './load-process-config.js';
import { openAdapters } from './open-adapters.js';
import type { Adapters } from './open-adapters.js';

export interface RoleContext {
  config: Config;
  logger: Logger;
  adapters: Adapters;
  node: NodeInfo;
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
    let parts: Lifecycle[];
    try {
      parts = await options.build({ config, logger, adapters, node });
    } catch (error) {
      await adapters.lifecycle.stop();
      throw error;
    }
    // Peers find a node as soon as it registers, so it joins once its parts run (an ingester
    // replaying its WAL has no gRPC server yet) and, as before, leaves after they stopped.
    const membership = clusterMembership(adapters.cluster, node);
    const idle = () => Promise.resolve();
    await runUntilSignal({
      logger,
      parts: [
        adapters.lifecycle,
        { name: 'cluster-leave', start: idle, stop: () => membership.stop() },
        ...parts,
        { name: 'cluster-join', start: () => membership.start(), stop: idle },
      ],
    });
  });
}
