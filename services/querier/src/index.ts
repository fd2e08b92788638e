export { createQuerier } from './app.js';
export type { HotDataSource, HotSnapshot, Querier, QuerierDeps } from './app.js';
export { FileCache } from './file-cache.js';
export { FILE_ADDED_TOPIC } from '@o2/domain';
export { FilePrefetcher } from './file-prefetcher.js';
export type { FilePrefetcherOptions } from './file-prefetcher.js';
