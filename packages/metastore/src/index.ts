export type * from './meta-store.js';
