export { createQuerier } from './app.js';
export type { Querier, QuerierDeps } from './app.js';
