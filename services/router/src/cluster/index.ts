// The querier's clients live in @o2/querier-client (the alertmanager uses them too).
export { PeerClients, clusterPromql, clusterSearch, querierForward } from '@o2/querier-client';
export type {
  ClusterSearchOptions,
  PeerClientsOptions,
  QuerierForwardOptions,
} from '@o2/querier-client';
export { clusterIngest } from '@o2/querier-client';
export type { ClusterIngestOptions } from '@o2/querier-client';
export { clusterTail } from './cluster-tail.js';
export type { ClusterTailOptions } from './cluster-tail.js';
