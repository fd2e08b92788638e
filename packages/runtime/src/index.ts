export { loadProcessConfig } from './load-process-config.js';
export { openAdapters } from './open-adapters.js';
export type { Adapters } from './open-adapters.js';
export { clusterMembership, nodeInfoFor } from './cluster-membership.js';
export { leadership } from './leadership.js';
export type { Leadership, LeadershipOptions } from './leadership.js';
export { runRoleProcess } from './run-role-process.js';
export type { RoleContext, RoleProcessOptions } from './run-role-process.js';
export { grpcMessageBytes } from './grpc-message-bytes.js';
export { opsServer } from './ops/ops-server.js';
export type { OpsServer, OpsServerOptions } from './ops/ops-server.js';
export {
  PROBE_TIMEOUT_MS,
  coordinationProbe,
  metaStoreProbe,
  objectStoreProbe,
  readinessReasons,
} from './ops/readiness.js';
export type { ReadinessProbe, ReasonSource } from './ops/readiness.js';
export { leaderGauge } from './leader-gauge.js';
export { grpcCallCounter } from './grpc-call-counter.js';
export { idleCollector } from './idle-collector.js';
export type { IdleCollector, IdleCollectorOptions } from './idle-collector.js';
