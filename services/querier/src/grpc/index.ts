export { ClusterFileSplit } from './cluster-file-split.js';
export type { ClusterFileSplitOptions } from './cluster-file-split.js';
export { ClusterHotData, tablesOfIpc } from './cluster-hot-data.js';
export type { ClusterHotDataOptions } from './cluster-hot-data.js';
export { querierGrpcServer } from './querier-grpc-server.js';
export type { QuerierGrpcServerDeps } from './querier-grpc-server.js';
