export {
  MAX_FILTER_LENGTH,
  likeMatches,
  parseTailFilter,
  tailFilterMatches,
} from './tail-filter.js';
export type { TailFilter, TailRow } from './tail-filter.js';
export { TailHub } from './tail-hub.js';
export type { TailBatch, TailHubOptions, TailRequest, TailSource } from './tail-hub.js';
