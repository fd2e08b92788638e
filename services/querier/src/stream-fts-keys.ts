import { DEFAULT_FTS_FIELDS } from '@o2/domain';

/**
 * The fields a stream's token indexes must cover before they may rule a file out: its own
 * `settings.full_text_search_keys` that its schema holds (the planner's `match_all` searches
 * those beside the defaults). An index lists the fields it was built over, and a key added to
 * the settings after a file was indexed is not among them: ruling the file out on the other
 * fields' tokens would drop the rows whose new key holds the term. The defaults are left out:
 * every index was built with them, and an index omits one only when its file lacks the column.
 */
export function streamFtsKeys(
  settings: Record<string, unknown> | undefined,
  schema: ReadonlyArray<{ name: string }> | undefined,
): string[] {
  const keys = settings?.['full_text_search_keys'];
  if (!Array.isArray(keys) || schema === undefined) return [];
  const names = new Set(schema.map((f) => f.name));
  return keys.filter(
    (k): k is string => typeof k === 'string' && names.has(k) && !DEFAULT_FTS_FIELDS.includes(k),
  );
}
