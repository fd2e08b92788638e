import type { RowRanges } from '@o2/proto';

/**
 * The row ranges a query reads of each file, keyed by the file's local path (the engine's
 * `StreamSource.rowRanges`): `rangesOf(i)` gives those of `paths[i]`, undefined for a file read
 * whole, which is left out.
 */
export function rangesByPath(
  paths: readonly string[],
  rangesOf: (index: number) => RowRanges | undefined,
): Map<string, RowRanges> {
  const ranges = new Map<string, RowRanges>();
  paths.forEach((path, i) => {
    const kept = rangesOf(i);
    if (kept !== undefined) ranges.set(path, kept);
  });
  return ranges;
}
