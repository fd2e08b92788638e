export { COMPACTOR_LEASE, createCompactor } from './app.js';
export type { Compactor, CompactorDeps } from './app.js';
