import type { StreamKind } from './stream-types.js';

/**
 * The search contract between the router (HTTP) and the querier role, in O2's terms. The router
 * parses O2's bodies and query strings into these; the querier answers with O2's response
 * objects (`took`, `hits`, `total`, …), which the router sends as they are. Errors are AppErrors;
 * search failures carry O2's search code (20001 invalid SQL, 20002 stream not found, …) which
 * the router renders as HTTP 400 `{code, message, error_detail}`.
 */
export interface SearchQuery {
  sql: string;
  /** µs, half-open [startTime, endTime). */
  startTime: number;
  endTime: number;
  from?: number;
  size?: number;
  trackTotalHits?: boolean;
  /** `'base64'`: `sql` is URL-safe base64. */
  encoding?: string;
}

export interface ValuesQuery {
  fields: string[];
  startTime: number;
  endTime: number;
  /** Values per field (default `ZO_QUERY_VALUES_DEFAULT_NUM` = 10). */
  size?: number;
  from?: number;
  /** `col=v1,v2` */
  filter?: string;
  keyword?: string;
  noCount?: boolean;
  /** Base64 SQL whose WHERE narrows the rows counted. */
  sql?: string;
}

export interface AroundQuery {
  /** The `_timestamp` (µs) to look around. */
  key: number;
  size: number;
  /** Base64 SQL whose WHERE narrows the rows (optional). */
  sql?: string;
  /** Equality filters from the POST body's context fields. */
  filters?: Record<string, string | number | boolean>;
}

export type SearchResponseBody = Record<string, unknown>;

export interface SearchService {
  search(org: string, type: StreamKind, query: SearchQuery): Promise<SearchResponseBody>;
  values(
    org: string,
    type: StreamKind,
    stream: string,
    query: ValuesQuery,
  ): Promise<SearchResponseBody>;
  around(
    org: string,
    type: StreamKind,
    stream: string,
    query: AroundQuery,
  ): Promise<SearchResponseBody>;
  /** O2's `_search_partition` answer: how the UI should split a long range. */
  partition(org: string, type: StreamKind, query: SearchQuery): Promise<SearchResponseBody>;
}
