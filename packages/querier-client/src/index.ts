export { PeerClients } from './peer-clients.js';
export type { PeerClientsOptions } from './peer-clients.js';
export { querierForward } from './querier-forward.js';
export type { QuerierForwardOptions } from './querier-forward.js';
export { clusterSearch } from './cluster-search.js';
export type { ClusterSearchOptions } from './cluster-search.js';
export { clusterPromql } from './cluster-promql.js';
