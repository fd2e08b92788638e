/** Bucket sizes the histogram picks from, smallest first: [seconds, O2 interval text]. */
const INTERVALS: Array<[number, string]> = [
  [10, '10 second'],
  [60, '1 minute'],
  [300, '5 minute'],
  [1800, '30 minute'],
  [3600, '1 hour'],
  [86_400, '1 day'],
];

/** The smallest bucket that keeps the chart under ~100 bars for this range (µs). */
export function histogramInterval(
  startUs: number,
  endUs: number,
): { seconds: number; text: string } {
  const seconds = (endUs - startUs) / 1e6;
  const found =
    INTERVALS.find(([size]) => seconds / size <= 100) ?? INTERVALS[INTERVALS.length - 1]!;
  return { seconds: found[0], text: found[1] };
}

/** Counts per bucket for a quick-mode filter on one stream. */
export function histogramSql(stream: string, filter: string, interval: string): string {
  const where = filter.trim() === '' ? '' : ` WHERE ${filter.trim()}`;
  return (
    `SELECT histogram(_timestamp, '${interval}') AS zo_sql_key, count(*) AS zo_sql_num ` +
    `FROM "${stream.replaceAll('"', '""')}"${where} GROUP BY zo_sql_key ORDER BY zo_sql_key`
  );
}

export interface Bucket {
  /** Bucket start, µs. */
  start: number;
  count: number;
}

/** The engine's bucket keys are UTC date-times without a zone (`2026-12-04T16:40:00`). */
export function toBuckets(hits: Array<Record<string, unknown>>): Bucket[] {
  return hits.flatMap((hit) => {
    const key = hit['zo_sql_key'];
    const count = hit['zo_sql_num'];
    if (typeof key !== 'string' || typeof count !== 'number') return [];
    const ms = Date.parse(/[zZ]|[+-]\d\d:?\d\d$/.test(key) ? key : `${key}Z`);
    return Number.isNaN(ms) ? [] : [{ start: ms * 1000, count }];
  });
}

/** Every bucket of the range, zero where nothing matched, so the bars sit on a true time axis. */
export function fillBuckets(
  found: Bucket[],
  startUs: number,
  endUs: number,
  intervalUs: number,
): Bucket[] {
  const counts = new Map(found.map((b) => [b.start, b.count]));
  const first = Math.floor(startUs / intervalUs) * intervalUs;
  const all: Bucket[] = [];
  for (let at = first; at < endUs && all.length < 1000; at += intervalUs)
    all.push({ start: at, count: counts.get(at) ?? 0 });
  return all;
}
