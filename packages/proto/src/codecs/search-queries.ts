import type { MessageInitShape } from '@bufbuild/protobuf';
import type { AroundQuery, SearchQuery, ValuesQuery } from '@o2/domain';
import { AppError } from '@o2/errors';
import type {
  AroundQuery as WireAroundQuery,
  AroundQuerySchema,
  SearchQuery as WireSearchQuery,
  SearchQuerySchema,
  ValuesQuery as WireValuesQuery,
  ValuesQuerySchema,
} from '../gen/o2/search/v1/query_pb.js';

// `optional` fields travel only when the domain value has them, and come back only when they
// travelled: an absent `size` stays absent (the querier's default applies), never 0.
const toBig = <K extends string>(key: K, value: number | undefined) =>
  (value === undefined ? {} : { [key]: BigInt(value) }) as Partial<Record<K, bigint>>;
const toNumber = <K extends string>(key: K, value: bigint | undefined) =>
  (value === undefined ? {} : { [key]: Number(value) }) as Partial<Record<K, number>>;
const kept = <K extends string, V>(key: K, value: V | undefined) =>
  (value === undefined ? {} : { [key]: value }) as Partial<Record<K, V>>;

/** A request without its query is malformed, not an empty query. */
function required<T>(query: T | undefined): T {
  if (query === undefined) throw new AppError('INVALID_ARGUMENT', 'query is required');
  return query;
}

export function encodeSearchQuery(query: SearchQuery): MessageInitShape<typeof SearchQuerySchema> {
  return {
    sql: query.sql,
    startTime: BigInt(query.startTime),
    endTime: BigInt(query.endTime),
    ...toBig('from', query.from),
    ...toBig('size', query.size),
    ...kept('trackTotalHits', query.trackTotalHits),
    ...kept('encoding', query.encoding),
  };
}

export function decodeSearchQuery(wire: WireSearchQuery | undefined): SearchQuery {
  const query = required(wire);
  return {
    sql: query.sql,
    startTime: Number(query.startTime),
    endTime: Number(query.endTime),
    ...toNumber('from', query.from),
    ...toNumber('size', query.size),
    ...kept('trackTotalHits', query.trackTotalHits),
    ...kept('encoding', query.encoding),
  };
}

export function encodeValuesQuery(query: ValuesQuery): MessageInitShape<typeof ValuesQuerySchema> {
  return {
    fields: query.fields,
    startTime: BigInt(query.startTime),
    endTime: BigInt(query.endTime),
    ...toBig('size', query.size),
    ...toBig('from', query.from),
    ...kept('filter', query.filter),
    ...kept('keyword', query.keyword),
    ...kept('noCount', query.noCount),
    ...kept('sql', query.sql),
  };
}

export function decodeValuesQuery(wire: WireValuesQuery | undefined): ValuesQuery {
  const query = required(wire);
  return {
    fields: [...query.fields],
    startTime: Number(query.startTime),
    endTime: Number(query.endTime),
    ...toNumber('size', query.size),
    ...toNumber('from', query.from),
    ...kept('filter', query.filter),
    ...kept('keyword', query.keyword),
    ...kept('noCount', query.noCount),
    ...kept('sql', query.sql),
  };
}

type FilterKind = MessageInitShape<typeof AroundQuerySchema>['filters'] extends
  { [name: string]: infer V } | undefined
  ? V
  : never;

function filterValue(value: string | number | boolean): FilterKind {
  if (typeof value === 'string') return { kind: { case: 'stringValue', value } };
  if (typeof value === 'number') return { kind: { case: 'numberValue', value } };
  return { kind: { case: 'boolValue', value } };
}

export function encodeAroundQuery(query: AroundQuery): MessageInitShape<typeof AroundQuerySchema> {
  return {
    key: BigInt(query.key),
    size: BigInt(query.size),
    ...kept('sql', query.sql),
    filters: Object.fromEntries(
      Object.entries(query.filters ?? {}).map(([name, value]) => [name, filterValue(value)]),
    ),
  };
}

/** No filters and an empty filter map are the same on the wire; both decode as no `filters`. */
export function decodeAroundQuery(wire: WireAroundQuery | undefined): AroundQuery {
  const query = required(wire);
  const filters: Record<string, string | number | boolean> = {};
  for (const [name, value] of Object.entries(query.filters))
    if (value.kind.case !== undefined) filters[name] = value.kind.value;
  return {
    key: Number(query.key),
    size: Number(query.size),
    ...kept('sql', query.sql),
    ...(Object.keys(filters).length === 0 ? {} : { filters }),
  };
}
