import { z } from 'zod';
import type { SearchQuery, SearchResponseBody } from '@o2/domain';
import { AppError } from '@o2/errors';
import { bodyObject, fields, optional, parseBody } from '../http/parse-body.js';
import { encoding, queryFn } from './search-schemas.js';

/**
 * O2's `_search_multi` / `_search_multi_stream` body (`MultiStreamRequest`): `sql` is a list of
 * strings or `{sql, start_time?, end_time?}` objects sharing the top-level range, `from`,
 * `size`, `track_total_hits` and `encoding`; `per_query_response` keeps each query's hits apart.
 */
const sqlText = z
  .string({ error: 'must be a non-empty string' })
  .refine((sql) => sql.trim() !== '', { error: 'must be a non-empty string' });

const multiBody = bodyObject({
  sql: z
    .array(
      z.union([
        sqlText,
        z.object({
          sql: sqlText,
          start_time: optional(fields.integer()),
          end_time: optional(fields.integer()),
          query_fn: queryFn,
        }),
      ]),
      { error: 'must be a list of queries' },
    )
    .min(1, { error: 'must hold at least one query' }),
  encoding,
  start_time: fields.integer(),
  end_time: fields.integer(),
  from: optional(fields.integer().min(0, { error: 'must not be negative' })),
  size: optional(fields.integer()),
  track_total_hits: optional(fields.boolean()),
  query_fn: queryFn,
  per_query_response: optional(fields.boolean()),
});

export interface MultiSearch {
  queries: SearchQuery[];
  /** Each query's decoded `query_fn` (its own, else the top-level one). */
  queryFns: Array<string | undefined>;
  perQueryResponse: boolean;
  startTime: number;
  endTime: number;
}

export function multiSearchFromBody(body: unknown): MultiSearch {
  const parsed = parseBody(multiBody, body);
  const queryFns = parsed.sql.map((item) =>
    typeof item === 'string' ? parsed.query_fn : (item.query_fn ?? parsed.query_fn),
  );
  const queries = parsed.sql.map((item, i): SearchQuery => {
    const one: { sql: string; start_time?: number | undefined; end_time?: number | undefined } =
      typeof item === 'string' ? { sql: item } : item;
    const query: SearchQuery = {
      sql: one.sql,
      startTime: one.start_time ?? parsed.start_time,
      endTime: one.end_time ?? parsed.end_time,
    };
    if (query.endTime <= query.startTime) {
      throw AppError.invalidArgument(`sql.${i}.end_time must be greater than start_time`);
    }
    if (parsed.from !== undefined) query.from = parsed.from;
    if (parsed.size !== undefined) query.size = parsed.size;
    if (parsed.track_total_hits !== undefined) query.trackTotalHits = parsed.track_total_hits;
    if (parsed.encoding !== undefined) query.encoding = parsed.encoding;
    return query;
  });
  return {
    queries,
    queryFns,
    perQueryResponse: parsed.per_query_response === true,
    startTime: parsed.start_time,
    endTime: parsed.end_time,
  };
}

const num = (body: SearchResponseBody, key: string): number => Number(body[key] ?? 0) || 0;

/**
 * Runs the queries one after the other and folds the answers as O2 does: `took`, `size`,
 * `scan_size` and `scan_records` add up, `total` is the largest, hits are concatenated (or one
 * array per query with `per_query_response`). A failing first query fails the request; a later
 * failure ends the run with its message in `function_error` and `is_partial`.
 */
export async function runMultiSearch(
  multi: MultiSearch,
  run: (query: SearchQuery, index: number) => Promise<SearchResponseBody>,
): Promise<SearchResponseBody> {
  let combined: SearchResponseBody | undefined;
  const hits: unknown[] = [];
  const functionError: string[] = [];
  let partial = false;
  for (const [index, query] of multi.queries.entries()) {
    let res: SearchResponseBody;
    try {
      res = await run(query, index);
    } catch (error) {
      if (index === 0) throw error;
      functionError.push(error instanceof Error ? error.message : String(error));
      partial = true;
      break;
    }
    const own = Array.isArray(res['hits']) ? (res['hits'] as unknown[]) : [];
    if (multi.perQueryResponse) hits.push(own);
    else hits.push(...own);
    if (res['is_partial'] === true) partial = true;
    if (Array.isArray(res['function_error'])) {
      functionError.push(...(res['function_error'] as unknown[]).map(String));
    }
    combined =
      combined === undefined
        ? { ...res }
        : {
            ...combined,
            took: num(combined, 'took') + num(res, 'took'),
            total: Math.max(num(combined, 'total'), num(res, 'total')),
            from: res['from'],
            size: num(combined, 'size') + num(res, 'size'),
            scan_size: num(combined, 'scan_size') + num(res, 'scan_size'),
            scan_records: num(combined, 'scan_records') + num(res, 'scan_records'),
            histogram_interval: combined['histogram_interval'] ?? res['histogram_interval'],
          };
  }
  const base = combined ?? {};
  if (base['histogram_interval'] === undefined) delete base['histogram_interval'];
  return { ...base, hits, function_error: functionError, is_partial: partial };
}
