export { COMPACTOR_LEASE, createCompactor } from './app.js';
export type { Compactor, CompactorDeps, CompactorRun } from './app.js';
export type { StreamDeletionRun } from './stream-deletion.js';
