export { createIngester } from './app.js';
export type { Ingester, IngesterDeps } from './app.js';
