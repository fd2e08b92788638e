import type { Config } from '@o2/config';
import type { Cluster, ClusterLogger } from './cluster.js';
import { MemoryCluster } from './memory-cluster.js';
import { connectNatsCluster } from './nats-cluster.js';

export type ClusterConfig = Pick<
  Config,
  | 'ZO_QUEUE_STORE'
  | 'ZO_NATS_ADDR'
  | 'ZO_NATS_PREFIX'
  | 'ZO_NATS_USER'
  | 'ZO_NATS_PASSWORD'
  | 'ZO_NATS_REPLICAS'
  | 'ZO_NATS_CONNECT_TIMEOUT'
  | 'ZO_NATS_EVENT_STORAGE'
  | 'ZO_NODE_HEARTBEAT_TTL'
>;

/** The cluster backend the configuration asks for: in-process (`memory`) or NATS. */
export async function createCluster(
  config: ClusterConfig,
  deps: { logger?: ClusterLogger } = {},
): Promise<Cluster> {
  const nodeTtlMs = config.ZO_NODE_HEARTBEAT_TTL * 1_000;
  switch (config.ZO_QUEUE_STORE) {
    case 'memory':
      return new MemoryCluster({ nodeTtlMs, logger: deps.logger });
    case 'nats':
      return connectNatsCluster({
        servers: config.ZO_NATS_ADDR.split(','),
        prefix: config.ZO_NATS_PREFIX,
        user: config.ZO_NATS_USER || undefined,
        password: config.ZO_NATS_PASSWORD || undefined,
        replicas: config.ZO_NATS_REPLICAS,
        connectTimeoutMs: config.ZO_NATS_CONNECT_TIMEOUT * 1_000,
        nodeTtlMs,
        eventStorage: config.ZO_NATS_EVENT_STORAGE,
        logger: deps.logger,
      });
  }
}
