const HOUR_MICROS = 3_600_000_000;

export interface RangeLimit {
  /** The start the query runs with (µs); the end never moves. */
  startTime: number;
  hours: number;
  /** O2's `function_error` text for the change. */
  message: string;
}

/**
 * O2's per-stream `settings.max_query_range` (hours, 0 = none): a range longer than the
 * smallest limit among the streams read is cut to its last `hours`, and the answer says so.
 */
/** The smallest positive `settings.max_query_range` (hours) among the streams, if any. */
export function maxQueryRangeHours(
  sources: ReadonlyArray<{ readonly settings?: object | undefined }>,
): number | undefined {
  let hours: number | undefined;
  for (const source of sources) {
    const raw = (source.settings as Record<string, unknown> | undefined)?.max_query_range;
    const limit = typeof raw === 'number' ? raw : Number(raw);
    if (Number.isFinite(limit) && limit > 0) hours = Math.min(hours ?? limit, limit);
  }
  return hours;
}

export function queryRangeLimit(
  sources: ReadonlyArray<{ readonly settings?: object | undefined }>,
  startTime: number,
  endTime: number,
): RangeLimit | undefined {
  const hours = maxQueryRangeHours(sources);
  if (hours === undefined || endTime - startTime <= hours * HOUR_MICROS) return undefined;
  return {
    startTime: endTime - Math.round(hours * HOUR_MICROS),
    hours,
    message: `Query duration is modified due to query range restriction of ${hours} hours`,
  };
}
