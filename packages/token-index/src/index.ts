export {
  buildTokenIndex,
  DEFAULT_MAX_TOKEN_LIST_BYTES,
  tokenIndexInfo,
  tokenIndexMayMatch,
  tokenIndexRowRanges,
  TokenIndexBuilder,
} from './token-index.js';
export type { TokenIndexInfo, TokenIndexOptions } from './token-index.js';
export { EVERY_FIELD_LISTED, buildFileIndexes, fullTextFields } from './file-indexes.js';
export type { FileIndexes, FileIndexRequest } from './file-indexes.js';
export { FileIndexPool } from './file-index-pool.js';
export type { FileIndexPoolOptions } from './file-index-pool.js';
export { isPackedTokenIndex, packTokenIndex, unpackTokenIndex } from './packed-index.js';
