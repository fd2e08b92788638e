export type {
  Campaign,
  CampaignOptions,
  Cluster,
  ClusterEvent,
  ClusterKv,
  ClusterLogger,
  ClusterNode,
  EventHandler,
  Events,
  LeaseHolder,
  ListNodesOptions,
  Leases,
  NodeEvent,
  NodeInfo,
  NodeRegistration,
  NodeRegistry,
  SubscribeOptions,
  Subscription,
} from './cluster.js';
export { createCluster } from './create-cluster.js';
export type { ClusterConfig } from './create-cluster.js';
export { MemoryCluster } from './memory-cluster.js';
export type { MemoryClusterOptions } from './memory-cluster.js';
export { MemoryClusterHub } from './memory-cluster-hub.js';
export { NatsCluster, connectNatsCluster } from './nats-cluster.js';
export type { NatsClusterOptions } from './nats-cluster.js';
