import type {
  AroundQuery,
  SearchQuery,
  SearchResponseBody,
  SearchService,
  StreamKind,
  ValuesQuery,
} from '@o2/domain';
import { searchError } from '@o2/errors';
import type { AppError, ErrorCode, SearchErrorCode } from '@o2/errors';

export type SearchCall =
  | { method: 'search' | 'partition'; org: string; type: StreamKind; query: SearchQuery }
  | { method: 'values'; org: string; type: StreamKind; stream: string; query: ValuesQuery }
  | { method: 'around'; org: string; type: StreamKind; stream: string; query: AroundQuery };

/** A search failure as the querier raises it: an AppError whose cause carries O2's code. */
export function searchFailure(
  searchCode: SearchErrorCode,
  _message: string,
  detail: string,
  code: ErrorCode = 'INVALID_ARGUMENT',
): AppError {
  return searchError(searchCode, detail, { code });
}

export type Row = Record<string, unknown> & { _timestamp: number };

/**
 * A small real SearchService for router tests: it keeps every call and answers from the rows it
 * holds — `search` returns the rows inside [startTime, endTime), newest first, paged by
 * from/size, in O2's response shape — so tests see exactly what crossed the boundary and what
 * came back.
 */
export class RecordingSearch implements SearchService {
  readonly calls: SearchCall[] = [];
  rows: Row[] = [];
  /** When set, calls fail with it. */
  failWith: AppError | undefined;

  get last(): SearchCall | undefined {
    return this.calls.at(-1);
  }

  search(org: string, type: StreamKind, query: SearchQuery): Promise<SearchResponseBody> {
    return this.answer({ method: 'search', org, type, query }, () => {
      const inRange = this.inRange(query.startTime, query.endTime);
      const from = query.from ?? 0;
      const size = query.size !== undefined && query.size > 0 ? query.size : inRange.length;
      const hits = inRange.slice(from, from + size);
      return {
        took: 1,
        took_detail: { total: 1, cache_took: 0, file_list_took: 0, wait_in_queue: 0 },
        hits,
        total: query.trackTotalHits === true ? inRange.length : hits.length,
        from,
        size,
        scan_size: 0,
        scan_records: inRange.length,
        is_partial: false,
      };
    });
  }

  partition(org: string, type: StreamKind, query: SearchQuery): Promise<SearchResponseBody> {
    return this.answer({ method: 'partition', org, type, query }, () => {
      const middle = Math.floor((query.startTime + query.endTime) / 2);
      return {
        file_num: 0,
        records: this.inRange(query.startTime, query.endTime).length,
        partitions: [
          [middle, query.endTime],
          [query.startTime, middle],
        ],
        order_by: 'desc',
        streaming_output: false,
      };
    });
  }

  values(
    org: string,
    type: StreamKind,
    stream: string,
    query: ValuesQuery,
  ): Promise<SearchResponseBody> {
    return this.answer({ method: 'values', org, type, stream, query }, () => {
      const rows = this.inRange(query.startTime, query.endTime);
      const hits = query.fields.map((field) => {
        const counts = new Map<string, number>();
        for (const row of rows) {
          const value = row[field];
          if (typeof value === 'string' || typeof value === 'number') {
            const key = String(value);
            counts.set(key, (counts.get(key) ?? 0) + 1);
          }
        }
        const values = [...counts].map(([key, n]) => ({ zo_sql_key: key, zo_sql_num: n }));
        return { field, values };
      });
      return { took: 1, hits, total: hits.length, size: query.size ?? 10 };
    });
  }

  around(
    org: string,
    type: StreamKind,
    stream: string,
    query: AroundQuery,
  ): Promise<SearchResponseBody> {
    return this.answer({ method: 'around', org, type, stream, query }, () => {
      const hits = this.rows
        .filter((row) =>
          Object.entries(query.filters ?? {}).every(([key, value]) => row[key] === value),
        )
        .sort((a, b) => Math.abs(a._timestamp - query.key) - Math.abs(b._timestamp - query.key))
        .slice(0, query.size);
      return { took: 1, hits, total: hits.length, from: 0, size: query.size };
    });
  }

  private inRange(start: number, end: number): Row[] {
    return this.rows
      .filter((row) => row._timestamp >= start && row._timestamp < end)
      .sort((a, b) => b._timestamp - a._timestamp);
  }

  private answer(call: SearchCall, compute: () => SearchResponseBody): Promise<SearchResponseBody> {
    this.calls.push(call);
    if (this.failWith !== undefined) return Promise.reject(this.failWith);
    return Promise.resolve(compute());
  }
}
