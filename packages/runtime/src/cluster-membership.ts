import { randomUUID } from 'node:crypto';
import type { Cluster, NodeInfo, NodeRegistration } from '@o2/cluster';
import type { Config } from '@o2/config';
import type { Lifecycle } from '@o2/lifecycle';

/** This process as the node registry sees it. */
export function nodeInfoFor(config: Config, now: number = Date.now()): NodeInfo {
  const host = config.ZO_HTTP_ADDR === '' ? config.ZO_INSTANCE_NAME : config.ZO_HTTP_ADDR;
  const grpcHost = config.ZO_GRPC_ADDR === '' ? config.ZO_INSTANCE_NAME : config.ZO_GRPC_ADDR;
  return {
    id: randomUUID(),
    name: config.ZO_INSTANCE_NAME,
    roles: config.roles,
    httpAddr: `${host}:${config.ZO_HTTP_PORT}`,
    grpcAddr: `${grpcHost}:${config.ZO_GRPC_PORT}`,
    startedAt: now,
  };
}

/**
 * Joins the node registry on start (heartbeating until stop) and leaves it on stop, so peers
 * stop routing to this node before its roles shut down.
 */
export function clusterMembership(cluster: Cluster, info: NodeInfo): Lifecycle {
  let registration: NodeRegistration | undefined;
  return {
    name: 'cluster-membership',
    start: async () => {
      registration = await cluster.nodes.register(info);
    },
    stop: async () => {
      await registration?.deregister();
      registration = undefined;
    },
  };
}
