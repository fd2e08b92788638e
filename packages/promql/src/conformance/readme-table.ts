/** Markers in packages/promql/README.md and the root README around the generated score table. */
export const TABLE_START =
  '<!-- conformance-table:start (pnpm --filter @o2/promql conformance:table) -->';
export const TABLE_END = '<!-- conformance-table:end -->';

/** The table currently published between the markers, or undefined when they are missing. */
export function publishedTable(readme: string): string | undefined {
  const start = readme.indexOf(TABLE_START);
  const end = readme.indexOf(TABLE_END);
  if (start < 0 || end < start) return undefined;
  return readme.slice(start + TABLE_START.length, end).trim();
}

/** The README with `table` between the markers; throws when the markers are missing. */
export function withTable(readme: string, table: string): string {
  const start = readme.indexOf(TABLE_START);
  const end = readme.indexOf(TABLE_END);
  if (start < 0 || end < start) {
    throw new Error(`README has no ${TABLE_START} ... ${TABLE_END} markers`);
  }
  return `${readme.slice(0, start + TABLE_START.length)}\n\n${table}\n\n${readme.slice(end)}`;
}
