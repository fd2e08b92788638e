import type {
  SearchResponse,
  TraceDetailsResponse,
  TraceLatestResponse,
  TraceTimeRange,
  ValuesResponse,
} from '@o2/api-schemas';
import { encodeQuery } from '../pages/logs/query';
import { request } from './client';

const seg = (value: string): string => encodeURIComponent(value);

/** A search window, µs, half-open. */
export interface Window {
  start: number;
  end: number;
}

const windowQuery = (w: Window) => `start_time=${Math.floor(w.start)}&end_time=${Math.ceil(w.end)}`;

/** The trace APIs the traces pages use (O2-CONTRACT §9.2), typed by `@o2/api-schemas`. */
export const tracesApi = {
  latest: (
    org: string,
    stream: string,
    q: Window & { filter: string; from: number; size: number },
    signal?: AbortSignal,
  ) =>
    request<TraceLatestResponse>(
      'GET',
      `/api/${seg(org)}/${seg(stream)}/traces/latest?${windowQuery(q)}` +
        `&from=${q.from}&size=${q.size}` +
        (q.filter.trim() === '' ? '' : `&filter=${seg(q.filter.trim())}`),
      undefined,
      signal,
    ),
  details: (org: string, stream: string, traceId: string, w?: Window) =>
    request<TraceDetailsResponse>(
      'GET',
      `/api/${seg(org)}/${seg(stream)}/traces/${seg(traceId)}/details` +
        (w === undefined ? '' : `?${windowQuery(w)}`),
    ),
  timeRange: (org: string, stream: string, traceId: string) =>
    request<TraceTimeRange>(
      'GET',
      `/api/${seg(org)}/${seg(stream)}/traces/time_range?trace_id=${seg(traceId)}`,
    ),
  /** `_search` over a traces stream (scatter points, duration percentiles). */
  search: (org: string, sql: string, w: Window, size: number, signal?: AbortSignal) =>
    request<SearchResponse>(
      'POST',
      `/api/${seg(org)}/_search?type=traces`,
      { query: { sql, start_time: w.start, end_time: w.end, from: 0, size } },
      signal,
    ),
  values: (org: string, stream: string, field: string, w: Window, filter: string) =>
    request<ValuesResponse>(
      'GET',
      `/api/${seg(org)}/${seg(stream)}/_values?fields=${seg(field)}&size=10&type=traces` +
        `&${windowQuery(w)}` +
        // The page's filter narrows the counts: O2's `sql` (base64 SELECT whose WHERE is ANDed).
        (filter.trim() === '' ? '' : `&sql=${seg(encodeQuery(filteredSql(stream, filter)))}`),
    ),
};

const quoteIdent = (name: string) => `"${name.replaceAll('"', '""')}"`;

/** `SELECT * FROM "<stream>" WHERE (<filter>)`: the span filter as a full query. */
export function filteredSql(stream: string, filter: string): string {
  const where = filter.trim() === '' ? '' : ` WHERE (${filter.trim()})`;
  return `SELECT * FROM ${quoteIdent(stream)}${where}`;
}
