export { PeerClients } from './peer-clients.js';
export type { PeerClientsOptions } from './peer-clients.js';
export { clusterIngest } from './cluster-ingest.js';
export type { ClusterIngestOptions } from './cluster-ingest.js';
export { clusterSearch } from './cluster-search.js';
export type { ClusterSearchOptions } from './cluster-search.js';
export { clusterPromql } from './cluster-promql.js';
export { querierForward } from './querier-forward.js';
export type { QuerierForwardOptions } from './querier-forward.js';
