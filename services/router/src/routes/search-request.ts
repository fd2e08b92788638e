import type { Request } from 'express';
import { checkStreamName, isStreamKind } from '@o2/domain';
import type { AroundQuery, SearchQuery, StreamKind, ValuesQuery } from '@o2/domain';
import { AppError } from '@o2/errors';
import { parseBody } from '../http/parse-body.js';
import { queryParam } from '../http/query-params.js';
import { aroundRecordBody, partitionBody, searchBody, valuesStreamBody } from './search-schemas.js';
import type { SearchRequest } from './search-schemas.js';

/** O2's `DEFAULT_SEARCH_AROUND_FIELDS`: a record's context that `POST _around` keeps equal. */
export const AROUND_CONTEXT_FIELDS: readonly string[] = [
  'k8s_cluster',
  'k8s_namespace_name',
  'k8s_pod_name',
  'kubernetes_namespace_name',
  'kubernetes_pod_name',
  'hostname',
];

/** O2's default `_around` size when the query string has none. */
const DEFAULT_AROUND_SIZE = 10;

const bad = (message: string): AppError => AppError.invalidArgument(message);

/** `?type=` on search routes: logs (the default), metrics or traces. */
export function searchStreamKind(req: Request): StreamKind {
  const value = queryParam(req, 'type')?.toLowerCase() ?? 'logs';
  if (!isStreamKind(value)) throw bad(`invalid stream type: ${value}`);
  return value;
}

/** O2's `_search` / `_search_stream` body: `{"query":{sql,start_time,end_time,…},"encoding"}`. */
export function searchRequestFromBody(body: unknown): SearchRequest {
  return parseBody(searchBody, body);
}

/** O2's `_search_partition` body: `{sql,start_time,end_time,encoding}` at the top level. */
export function partitionQueryFromBody(body: unknown): SearchQuery {
  return parseBody(partitionBody, body);
}

function queryInteger(req: Request, name: string, options: { min?: number } = {}) {
  const text = queryParam(req, name);
  if (text === undefined) return undefined;
  const value = /^-?\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(value) || value < (options.min ?? Number.MIN_SAFE_INTEGER))
    throw bad(`${name} must be an integer${options.min === 0 ? ' ≥ 0' : ''}`);
  return value;
}

/** A mandatory time bound of `_values`: O2 answers "start_time is empty" when it is absent or 0. */
function requiredTime(req: Request, name: 'start_time' | 'end_time'): number {
  const value = queryInteger(req, name);
  if (value === undefined || value === 0) throw bad(`${name} is empty`);
  return value;
}

/**
 * `GET /{org}/{stream}/_values?fields=a,b&size=&from=&start_time=&end_time=&filter=&keyword=
 * &no_count=&sql=` as a `ValuesQuery`.
 */
export function valuesQueryFromRequest(req: Request): ValuesQuery {
  const fields = (queryParam(req, 'fields') ?? '')
    .split(',')
    .map((f) => f.trim())
    .filter((f) => f !== '');
  if (fields.length === 0) throw bad('fields is empty');
  const startTime = requiredTime(req, 'start_time');
  const endTime = requiredTime(req, 'end_time');
  if (endTime <= startTime) throw bad('end_time must be greater than start_time');
  const query: ValuesQuery = { fields, startTime, endTime };
  const size = queryInteger(req, 'size', { min: 0 });
  if (size !== undefined) query.size = size;
  const from = queryInteger(req, 'from', { min: 0 });
  if (from !== undefined) query.from = from;
  for (const key of ['filter', 'keyword', 'sql'] as const) {
    const value = queryParam(req, key);
    if (value !== undefined) query[key] = value;
  }
  const noCount = queryParam(req, 'no_count');
  if (noCount !== undefined) {
    if (noCount !== 'true' && noCount !== 'false') throw bad('no_count must be true or false');
    query.noCount = noCount === 'true';
  }
  return query;
}

function aroundBase(req: Request, key: number): AroundQuery {
  const size = queryInteger(req, 'size', { min: 1 }) ?? DEFAULT_AROUND_SIZE;
  const query: AroundQuery = { key, size };
  const sql = queryParam(req, 'sql');
  if (sql !== undefined) query.sql = sql;
  return query;
}

/** `GET /{org}/{stream}/_around?key=<µs>&size=&sql=`. */
export function aroundQueryFromRequest(req: Request): AroundQuery {
  const key = queryInteger(req, 'key');
  if (key === undefined) throw bad('key is empty');
  return aroundBase(req, key);
}

/**
 * `POST /{org}/{stream}/_around` with a record as the body: its `_timestamp` is the key and its
 * context fields (pod, namespace, host …) become equality filters, so the lines shown around a
 * record come from the same source.
 */
export function aroundQueryFromRecord(req: Request, body: unknown): AroundQuery {
  const record = parseBody(aroundRecordBody, body);
  const query = aroundBase(req, record._timestamp);
  const filters: Record<string, string | number | boolean> = {};
  for (const field of AROUND_CONTEXT_FIELDS) {
    const value = record[field];
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
      filters[field] = value;
  }
  if (Object.keys(filters).length > 0) query.filters = filters;
  return query;
}

/**
 * `POST /{org}/_values_stream`: O2's `ValuesRequest` body (stream and type inside it, the
 * keyword in the query string) as the stream, its kind and a `ValuesQuery` for the first field.
 */
export function valuesStreamRequest(
  req: Request,
  body: unknown,
): { stream: string; type: StreamKind; query: ValuesQuery } {
  const parsed = parseBody(valuesStreamBody, body);
  const typeName = (parsed.stream_type ?? queryParam(req, 'type') ?? 'logs').toLowerCase();
  if (!isStreamKind(typeName)) throw bad(`invalid stream type: ${typeName}`);
  const query: ValuesQuery = {
    fields: parsed.fields.slice(0, 1),
    startTime: parsed.start_time,
    endTime: parsed.end_time,
  };
  if (parsed.size !== undefined) query.size = parsed.size;
  if (parsed.no_count !== undefined) query.noCount = parsed.no_count;
  if (parsed.filter !== undefined && parsed.filter !== '') query.filter = parsed.filter;
  if (parsed.sql !== undefined && parsed.sql !== '') query.sql = parsed.sql;
  const keyword = queryParam(req, 'keyword')?.trim();
  if (keyword !== undefined && keyword !== '') query.keyword = keyword;
  return { stream: checkStreamName(parsed.stream_name), type: typeName, query };
}
