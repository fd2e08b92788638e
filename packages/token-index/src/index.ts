export {
  buildTokenIndex,
  DEFAULT_MAX_TOKEN_LIST_BYTES,
  tokenIndexInfo,
  tokenIndexMayMatch,
  tokenIndexRowRanges,
} from './token-index.js';
export type { TokenIndexInfo, TokenIndexOptions } from './token-index.js';
