import { DEFAULT_FTS_FIELDS } from '@o2/domain';

/**
 * Characters of DuckDB's text form of a number or boolean (`-1.5e+20`, `inf`, `nan`, `true`),
 * either case: a term of other characters cannot occur in a non-text field's value.
 */
const VALUE_TEXT = /^[0-9+\-.einftyaruls]*$/i;

/**
 * Per `match_all` term, the fields a stream's token indexes must cover before they may rule a
 * file out on it (the planner's `match_all` searches the schema's default full-text fields and
 * `settings.full_text_search_keys`, non-text ones as text). An index lists the fields it was
 * built over; one it lacks may be searched all the same, and ruling the file out on the other
 * fields' tokens would drop the rows whose uncovered field holds the term:
 * - a key added to the settings after the file was indexed (any type);
 * - a number or boolean field, which an index never covers (JS would not reproduce DuckDB's
 *   text of it), when the term could be such a text.
 * A default text field is left out: every index was built with the defaults, and one lacks it
 * only when its file has no such column (all NULL) — or, in an index that does not list every
 * field asked for (older ones), when the field was still a number as the file was indexed.
 */
export function streamFtsKeys(
  settings: Record<string, unknown> | undefined,
  schema: ReadonlyArray<{ name: string; type: string }> | undefined,
): (term: string, everyFieldListed?: boolean) => string[] {
  const keys = settings?.['full_text_search_keys'];
  const extra = new Set(Array.isArray(keys) ? keys.filter((k) => typeof k === 'string') : []);
  const always: string[] = [];
  const ifValueText: string[] = [];
  const defaultText: string[] = [];
  for (const { name, type } of schema ?? []) {
    const searched = extra.has(name) || DEFAULT_FTS_FIELDS.includes(name);
    if (!searched) continue;
    if (type !== 'Utf8') ifValueText.push(name);
    else if (!DEFAULT_FTS_FIELDS.includes(name)) always.push(name);
    else defaultText.push(name);
  }
  const both = [...always, ...ifValueText];
  // An index listing every field asked for (`EVERY_FIELD_LISTED`) covers each default text
  // field unless the file held it as a number: then it is asked for too, closing the gap above.
  return (term, everyFieldListed = false) => [
    ...(ifValueText.length > 0 && VALUE_TEXT.test(term) ? both : always),
    ...(everyFieldListed ? defaultText : []),
  ];
}
