import { SEARCH_ERROR, searchError } from './search-error.js';

const DAY = 86_400;

/** The steps an interval that does not fit a day is rounded up to (O2's list, in seconds). */
const SNAP_STEPS = [
  1, 5, 10, 15, 30, 60, 300, 600, 900, 1800, 3600, 7200, 14400, 21600, 28800, 43200, 86400,
];

const UNIT_SECONDS: ReadonlyMap<string, number> = new Map([
  ...['second', 'seconds', 's', 'sec', 'secs'].map((u) => [u, 1] as const),
  ...['minute', 'minutes', 'm', 'min', 'mins'].map((u) => [u, 60] as const),
  ...['hour', 'hours', 'h', 'hr', 'hrs'].map((u) => [u, 3600] as const),
  ...['day', 'days', 'd'].map((u) => [u, DAY] as const),
]);

/** `'<int> <unit>'` → seconds; a bare number or an unknown unit is an error, as in O2. */
export function parseHistogramInterval(text: string): number {
  const match = /^\s*(\d+)\s*([a-zA-Z]+)\s*$/.exec(text);
  const unit = match ? UNIT_SECONDS.get(match[2]!.toLowerCase()) : undefined;
  const count = match ? Number(match[1]) : NaN;
  if (unit === undefined || !Number.isSafeInteger(count) || count <= 0) {
    throw searchError(SEARCH_ERROR.invalidSql, `Invalid histogram interval: ${text}`);
  }
  return count * unit;
}

/**
 * O2 keeps an interval that is a whole number of days or divides a day evenly, so buckets line
 * up with midnight; anything else is rounded up to the next step of a fixed ladder.
 */
export function snapHistogramInterval(seconds: number): number {
  if (seconds % DAY === 0 || DAY % seconds === 0) return seconds;
  return SNAP_STEPS.find((step) => step >= seconds) ?? DAY;
}

const AUTO_STEPS: ReadonlyArray<readonly [number, number]> = [
  [60 * DAY, DAY],
  [30 * DAY, 12 * 3600],
  [28 * DAY, 6 * 3600],
  [21 * DAY, 3 * 3600],
  [15 * DAY, 2 * 3600],
  [6 * 3600, 3600],
  [2 * 3600, 60],
  [3600, 30],
  [1800, 15],
  [10, 10],
];

/** The interval O2 picks when the query names none, from the query's time range (µs). */
export function autoHistogramInterval(startTime: number, endTime: number): number {
  if (startTime === 0 && endTime === 0) return 3600;
  const range = (endTime - startTime) / 1_000_000;
  for (const [atLeast, interval] of AUTO_STEPS) if (range >= atLeast) return interval;
  return 1;
}

/** Offset in µs for `'+08:00'`-style zones; undefined for named zones (handled by ICU). */
export function fixedOffsetMicros(zone: string): number | undefined {
  const trimmed = zone.trim();
  if (trimmed === '' || /^(utc|z|gmt)$/i.test(trimmed)) return 0;
  const match = /^([+-])(\d{2}):?(\d{2})$/.exec(trimmed);
  if (!match) return undefined;
  const minutes = Number(match[2]) * 60 + Number(match[3]);
  return (match[1] === '-' ? -1 : 1) * minutes * 60_000_000;
}
