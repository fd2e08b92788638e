export { PeerClients } from './peer-clients.js';
export type { PeerClientsOptions } from './peer-clients.js';
export { querierForward } from './querier-forward.js';
export type { QuerierForwardOptions } from './querier-forward.js';
export { clusterSearch } from './cluster-search.js';
export type { ClusterSearchOptions } from './cluster-search.js';
export { clusterPromql } from './cluster-promql.js';
// Ingest over gRPC to the live ingesters (the router's, and the alertmanager's for scheduled
// pipelines' output).
export { clusterIngest } from './cluster-ingest.js';
export type { ClusterIngestOptions } from './cluster-ingest.js';
