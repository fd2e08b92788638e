import { z } from 'zod';
import type { SearchQuery } from '@o2/domain';
import { decodeQueryFn } from '@o2/functions';
import { NOT_AN_OBJECT, bodyObject, fields, optional } from '../http/parse-body.js';

/** `encoding`: `"base64"` (the SQL is URL-safe base64, decoded by the querier) or none. */
export const encoding = z
  .unknown()
  .optional()
  .transform((value, ctx): 'base64' | undefined => {
    if (value === undefined || value === null || value === '') return undefined;
    if (value === 'base64') return value;
    ctx.addIssue({ code: 'custom', message: `unsupported encoding: ${JSON.stringify(value)}` });
    return z.NEVER;
  });

/**
 * `query_fn`: base64 VRL (standard or URL-safe alphabet) run on the hits after the SQL, decoded
 * here; absent, null or empty means none.
 */
export const queryFn = z
  .unknown()
  .optional()
  .transform((value, ctx): string | undefined => {
    if (value === undefined || value === null || value === '') return undefined;
    const source = typeof value === 'string' ? decodeQueryFn(value) : undefined;
    if (source === undefined) {
      ctx.addIssue({ code: 'custom', message: 'must be base64-encoded VRL' });
      return z.NEVER;
    }
    return source.trim() === '' ? undefined : source;
  });

/** `vrl_fn` of `_values_stream`: absent, null or empty (not applied there yet). */
export const noVrl = z.unknown().refine((v) => v === undefined || v === null || v === '', {
  error: 'query functions (VRL) are not supported yet',
});

/**
 * The query fields `_search` reads from `query` and `_search_partition` from the body itself;
 * `prefix` names where they sit, for the message comparing the two times.
 */
function queryFields(prefix: string) {
  return {
    shape: {
      sql: z
        .string({ error: 'must be a non-empty string' })
        .refine((sql) => sql.trim() !== '', { error: 'must be a non-empty string' }),
      start_time: fields.integer(),
      end_time: fields.integer(),
      from: optional(fields.integer().min(0, { error: 'must not be negative' })),
      // A negative size is meaningful to O2 (-999: no limit), so any integer passes.
      size: optional(fields.integer()),
      track_total_hits: optional(fields.boolean()),
      query_fn: queryFn,
    },
    check: (value: { start_time: number; end_time: number }, ctx: z.RefinementCtx): void => {
      if (value.end_time <= value.start_time)
        ctx.addIssue({
          code: 'custom',
          path: ['end_time'],
          message: `must be greater than ${prefix}start_time`,
        });
    },
  };
}

type QueryFields = z.output<z.ZodObject<ReturnType<typeof queryFields>['shape']>>;

/** A search as the route reads it: the query for the querier, the query function for the hits. */
export interface SearchRequest {
  query: SearchQuery;
  /** Decoded `query_fn` VRL, applied by the router to the hits. */
  queryFn?: string;
}

function toSearchRequest(fields: QueryFields, encoded: string | undefined): SearchRequest {
  const query: SearchQuery = {
    sql: fields.sql,
    startTime: fields.start_time,
    endTime: fields.end_time,
  };
  if (fields.from !== undefined) query.from = fields.from;
  if (fields.size !== undefined) query.size = fields.size;
  if (fields.track_total_hits !== undefined) query.trackTotalHits = fields.track_total_hits;
  if (encoded !== undefined) query.encoding = encoded;
  return fields.query_fn === undefined ? { query } : { query, queryFn: fields.query_fn };
}

const nested = queryFields('query.');
const topLevel = queryFields('');

/** O2's `_search` / `_search_stream` body: `{"query":{sql,start_time,end_time,…},"encoding"}`. */
export const searchBody = bodyObject({
  query: z
    .object(nested.shape, { error: 'request body must have a "query" object' })
    .superRefine(nested.check),
  encoding,
}).transform((body) => toSearchRequest(body.query, body.encoding));

/** O2's `_search_partition` body: `{sql,start_time,end_time,encoding}` at the top level. */
export const partitionBody = bodyObject({ ...topLevel.shape, encoding })
  .superRefine(topLevel.check)
  .transform((body) => toSearchRequest(body, body.encoding).query);

/** `POST _around`'s body: a whole record, its context fields read by the handler. */
export const aroundRecordBody = z.looseObject(
  { _timestamp: fields.integer('must be an integer in the record') },
  { error: NOT_AN_OBJECT },
);

/**
 * `POST _values_stream`'s body (O2's `ValuesRequest`): the stream and its type ride in the
 * body; O2 answers the first field only. `vrl_fn` is refused until VRL exists rather than
 * silently skipped.
 */
export const valuesStreamBody = bodyObject({
  fields: z
    .array(z.string().trim().min(1, { error: 'must not hold an empty name' }), {
      error: 'must be an array of field names',
    })
    .min(1, { error: 'must name at least one field' }),
  size: optional(fields.integer().min(0, { error: 'must not be negative' })),
  no_count: optional(fields.boolean()),
  start_time: fields.integer().refine((v) => v !== 0, { error: 'is empty' }),
  end_time: fields.integer().refine((v) => v !== 0, { error: 'is empty' }),
  filter: optional(z.string({ error: 'must be a string' })),
  sql: optional(z.string({ error: 'must be a string' })),
  vrl_fn: optional(noVrl),
  stream_name: z.string({ error: 'must be a string' }).min(1, { error: 'is empty' }),
  stream_type: optional(z.string({ error: 'must be a string' })),
}).superRefine((body, ctx) => {
  if (body.end_time <= body.start_time)
    ctx.addIssue({
      code: 'custom',
      path: ['end_time'],
      message: 'must be greater than start_time',
    });
});
