import type { Request } from 'express';
import { isStreamKind } from '@o2/domain';
import type { AroundQuery, SearchQuery, StreamKind, ValuesQuery } from '@o2/domain';
import { AppError } from '@o2/errors';
import { jsonObject } from '../http/json-body.js';
import { queryParam } from '../http/query-params.js';

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

function jsonInteger(value: unknown, name: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value))
    throw bad(`${name} must be an integer`);
  return value;
}

function optionalJsonInteger(value: unknown, name: string): number | undefined {
  return value === undefined || value === null ? undefined : jsonInteger(value, name);
}

/** `encoding`: `"base64"` (the SQL is URL-safe base64, decoded by the querier) or none. */
function encoding(value: unknown): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (value !== 'base64') throw bad(`unsupported encoding: ${JSON.stringify(value)}`);
  return value;
}

/** The fields `_search` reads from `query` and `_search_partition` from the body itself. */
function searchFields(fields: Record<string, unknown>, prefix: string, enc: unknown): SearchQuery {
  const { sql } = fields;
  if (typeof sql !== 'string' || sql.trim() === '')
    throw bad(`${prefix}sql must be a non-empty string`);
  const startTime = jsonInteger(fields['start_time'], `${prefix}start_time`);
  const endTime = jsonInteger(fields['end_time'], `${prefix}end_time`);
  if (endTime <= startTime) throw bad(`${prefix}end_time must be greater than ${prefix}start_time`);
  const query: SearchQuery = { sql, startTime, endTime };
  const from = optionalJsonInteger(fields['from'], `${prefix}from`);
  if (from !== undefined) {
    if (from < 0) throw bad(`${prefix}from must not be negative`);
    query.from = from;
  }
  // A negative size is meaningful to O2 (-999: no limit), so any integer passes.
  const size = optionalJsonInteger(fields['size'], `${prefix}size`);
  if (size !== undefined) query.size = size;
  const track = fields['track_total_hits'];
  if (track !== undefined && track !== null) {
    if (typeof track !== 'boolean') throw bad(`${prefix}track_total_hits must be true or false`);
    query.trackTotalHits = track;
  }
  const encoded = encoding(enc);
  if (encoded !== undefined) query.encoding = encoded;
  return query;
}

/** O2's `_search` / `_search_stream` body: `{"query":{sql,start_time,end_time,…},"encoding"}`. */
export function searchQueryFromBody(body: unknown): SearchQuery {
  const request = jsonObject(body);
  const query = request['query'];
  if (typeof query !== 'object' || query === null || Array.isArray(query))
    throw bad('request body must have a "query" object');
  return searchFields(query as Record<string, unknown>, 'query.', request['encoding']);
}

/** O2's `_search_partition` body: `{sql,start_time,end_time,encoding}` at the top level. */
export function partitionQueryFromBody(body: unknown): SearchQuery {
  const request = jsonObject(body);
  return searchFields(request, '', request['encoding']);
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
  const record = jsonObject(body);
  const timestamp = record['_timestamp'];
  if (typeof timestamp !== 'number' || !Number.isSafeInteger(timestamp))
    throw bad('_timestamp must be an integer in the record');
  const query = aroundBase(req, timestamp);
  const filters: Record<string, string | number | boolean> = {};
  for (const field of AROUND_CONTEXT_FIELDS) {
    const value = record[field];
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
      filters[field] = value;
  }
  if (Object.keys(filters).length > 0) query.filters = filters;
  return query;
}
