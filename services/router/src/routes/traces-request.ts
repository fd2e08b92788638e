import type { Request } from 'express';
import { AppError } from '@o2/errors';
import { checkFilter } from '@o2/traces';
import type { SortOrder, TraceSortBy } from '@o2/traces';
import { queryParam } from '../http/query-params.js';

const bad = (message: string): AppError => AppError.invalidArgument(message);

/** O2's default page of `/traces/latest`. */
const DEFAULT_TRACE_PAGE = 10;
/** The largest page: summaries cost two follow-up queries over the page's trace ids. */
const MAX_TRACE_PAGE = 1000;
/**
 * How far back a trace lookup without a time range searches (µs): 30 days. The per-file trace-id
 * index keeps this cheap; the window only bounds the file list read.
 */
export const TRACE_LOOKUP_WINDOW_US = 30 * 24 * 3600 * 1_000_000;

function integer(req: Request, name: string, min = 0): number | undefined {
  const text = queryParam(req, name);
  if (text === undefined) return undefined;
  const value = /^-?\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(value) || value < min)
    throw bad(`${name} must be an integer${min === 0 ? ' ≥ 0' : ` ≥ ${min}`}`);
  return value;
}

export interface TimeWindow {
  /** µs, half-open */
  startTime: number;
  endTime: number;
}

/** Mandatory `start_time`/`end_time` (µs): O2 answers "start_time is empty" without them. */
export function requiredWindow(req: Request): TimeWindow {
  const startTime = integer(req, 'start_time', 1);
  if (startTime === undefined) throw bad('start_time is empty');
  const endTime = integer(req, 'end_time', 1);
  if (endTime === undefined) throw bad('end_time is empty');
  if (endTime <= startTime) throw bad('end_time must be greater than start_time');
  return { startTime, endTime };
}

/**
 * The window of a single-trace lookup: the one given, else the last 30 days up to an hour ahead
 * (clock skew of the sender), which the trace-id index prunes to the files holding the trace.
 */
export function lookupWindow(req: Request, nowUs: number): TimeWindow {
  const given = queryParam(req, 'start_time') ?? queryParam(req, 'end_time');
  if (given !== undefined) return requiredWindow(req);
  return { startTime: nowUs - TRACE_LOOKUP_WINDOW_US, endTime: nowUs + 3600 * 1_000_000 };
}

export interface LatestQuery extends TimeWindow {
  filter?: string;
  from: number;
  size: number;
  sortBy: TraceSortBy;
  sortOrder: SortOrder;
}

/**
 * `GET /{org}/{stream}/traces/latest?filter=&start_time=&end_time=&from=&size=&sort_by=
 * &sort_order=&timeout=`. `timeout` is checked and otherwise left to the querier's
 * `ZO_QUERY_TIMEOUT`, which bounds every query these routes run.
 */
export function latestQueryFromRequest(req: Request): LatestQuery {
  const window = requiredWindow(req);
  const size = integer(req, 'size', 1) ?? DEFAULT_TRACE_PAGE;
  if (size > MAX_TRACE_PAGE) throw bad(`size must be at most ${MAX_TRACE_PAGE}`);
  const sortBy = queryParam(req, 'sort_by') ?? 'start_time';
  if (sortBy !== 'start_time' && sortBy !== 'duration')
    throw bad('sort_by must be start_time or duration');
  const sortOrder = (queryParam(req, 'sort_order') ?? 'desc').toLowerCase();
  if (sortOrder !== 'asc' && sortOrder !== 'desc') throw bad('sort_order must be asc or desc');
  integer(req, 'timeout');
  const query: LatestQuery = {
    ...window,
    from: integer(req, 'from') ?? 0,
    size,
    sortBy,
    sortOrder,
  };
  const filter = queryParam(req, 'filter');
  if (filter !== undefined) {
    const checked = checkFilter(filter);
    if (checked !== '') query.filter = checked;
  }
  return query;
}
