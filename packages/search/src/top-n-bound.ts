import type { DuckDBConnection } from '@duckdb/node-api';
import { rowGroupTimes } from './count-from-metadata.js';
import type { FooterCache, RowGroupTimes } from './count-from-metadata.js';
import type { StreamViewInput } from './stream-view.js';

/** What a top-n narrowing reads the stored files' footers with. */
export interface FooterDeps {
  footers: FooterCache;
  /** Per stored file: its version (`ScanStats.versions`); in-memory tables' copies are absent. */
  versions: ReadonlyMap<string, string>;
}

/**
 * The `_timestamp` the top `rows` of `[start, end)` cannot go past, from row-group statistics
 * alone. Newest first: the row groups wholly inside the range, taken by their minimum from the
 * highest down until they hold `rows` rows, all lie at or above the last minimum taken, so the
 * `rows`-th newest row of the range does too (more rows elsewhere only raise it). Oldest first
 * mirrors it on maxima. Undefined when those groups hold fewer rows.
 */
export function topNBound(
  groups: readonly RowGroupTimes[],
  range: { start: number; end: number },
  rows: number,
  descending: boolean,
): number | undefined {
  const inside = groups.filter(
    (g): g is { rows: number; min: number; max: number } =>
      g.min !== undefined && g.max !== undefined && g.min >= range.start && g.max < range.end,
  );
  inside.sort(descending ? (a, b) => b.min - a.min : (a, b) => a.max - b.max);
  let held = 0;
  for (const group of inside) {
    held += group.rows;
    if (held >= rows) return descending ? group.min : group.max;
  }
  return undefined;
}

/** A filterless top-n's view cut by its footers' bound (see `footerNarrowed`). */
export interface FooterNarrowing {
  view: StreamViewInput;
  /**
   * Row groups of the cut view that can hold rows past the bound (every group of a file whose
   * footer says nothing counts, as does every in-memory table's copy: Infinity then).
   */
  reachingGroups: number;
}

/**
 * The view of a filterless top-n query cut by its footers' bound (see `topNBound`): the time
 * range ends at the bound and the stored files whose row groups all lie beyond it are left out,
 * so neither the probe nor the answer binds, opens or filters them. On the bench's 400 k
 * records, newest 100 of the last 15 minutes: 4 files -> 1. Undefined when no bound is known.
 */
export async function footerNarrowed(
  conn: DuckDBConnection,
  view: StreamViewInput,
  rows: number,
  descending: boolean,
  deps: FooterDeps,
): Promise<FooterNarrowing | undefined> {
  const stored = view.files.filter((f) => deps.versions.has(f));
  if (stored.length === 0) return undefined;
  const times = await rowGroupTimes(conn, stored, deps.footers, deps.versions);
  const range = { start: view.startTime, end: view.endTime };
  const bound = topNBound([...times.values()].flat(), range, rows, descending);
  if (bound === undefined) return undefined;
  // A file without statistics for a group may hold anything: it stays.
  const reaches = (g: RowGroupTimes): boolean =>
    g.min === undefined || g.max === undefined || (descending ? g.max >= bound : g.min <= bound);
  let reachingGroups = 0;
  const files = view.files.filter((f) => {
    const groups = times.get(f);
    if (groups === undefined || groups.length === 0) {
      reachingGroups = Infinity;
      return true;
    }
    const reaching = groups.filter(reaches).length;
    reachingGroups += reaching;
    return reaching > 0;
  });
  const cut = descending
    ? { ...view, files, startTime: Math.max(view.startTime, bound) }
    : { ...view, files, endTime: Math.min(view.endTime, bound + 1) };
  return { view: cut, reachingGroups };
}
