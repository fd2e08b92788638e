export { ClusterHotData, tablesOfIpc } from './cluster-hot-data.js';
export type { ClusterHotDataOptions } from './cluster-hot-data.js';
export { querierGrpcServer } from './querier-grpc-server.js';
export type { QuerierGrpcServerDeps } from './querier-grpc-server.js';
