export { createQuerier } from './app.js';
export type { HotDataSource, HotSnapshot, Querier, QuerierDeps } from './app.js';
