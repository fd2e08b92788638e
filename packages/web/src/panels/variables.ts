/**
 * Dashboard variables substituted into a panel's query before it is sent (UI-SPEC §7.4): `$name`,
 * `${name}`, `${name:format}` and `{{name}}`. An empty selection or "All" becomes O2's sentinel
 * (`/config.dashboard_placeholder`, `_o2_all_`), which the server reads as "no filter" in SQL
 * predicates and PromQL matchers. Names nobody defined (`$__interval`, a literal `$`) are left.
 */

/** A variable's current value: one string, or the selection of a multi-select. */
export type VariableValue = string | readonly string[];

export type QueryLanguage = 'sql' | 'promql';

const FORMATS = ['csv', 'pipe', 'singlequote', 'doublequote'] as const;
type Format = (typeof FORMATS)[number];

const sqlQuote = (v: string) => `'${v.replaceAll("'", "''")}'`;
const doubleQuote = (v: string) => `"${v.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`;

function formatValues(values: readonly string[], format: Format): string {
  switch (format) {
    case 'csv':
      return values.join(',');
    case 'pipe':
      return values.join('|');
    case 'singlequote':
      return values.map(sqlQuote).join(',');
    case 'doublequote':
      return values.map(doubleQuote).join(',');
  }
}

/**
 * One variable's text in a query. A multi-value with no format reads as SQL's `'a','b'` (for
 * `IN ($v)`) or PromQL's `a|b` (for `=~"$v"`), the forms O2 writes.
 */
export function variableText(
  value: VariableValue,
  language: QueryLanguage,
  placeholder: string,
  format?: string,
): string {
  const values = typeof value === 'string' ? [value] : [...value];
  if (values.length === 0 || values.includes(placeholder)) return placeholder;
  const known = FORMATS.find((f) => f === format);
  if (known !== undefined) return formatValues(values, known);
  if (values.length === 1) return values[0]!;
  return language === 'sql' ? formatValues(values, 'singlequote') : formatValues(values, 'pipe');
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** `query` with every known variable replaced (longest names first, so `$ns` never eats `$nsx`). */
export function substituteVariables(
  query: string,
  values: ReadonlyMap<string, VariableValue>,
  language: QueryLanguage,
  placeholder: string,
): string {
  if (values.size === 0) return query;
  const names = [...values.keys()].sort((a, b) => b.length - a.length).map(escapeRegExp);
  const alternatives = names.join('|');
  const pattern = new RegExp(
    `\\$\\{(${alternatives})(?::(\\w+))?\\}|\\{\\{\\s*(${alternatives})(?::(\\w+))?\\s*\\}\\}|\\$(${alternatives})(?![A-Za-z0-9_])`,
    'g',
  );
  return query.replace(
    pattern,
    (
      whole,
      braced?: string,
      bracedFormat?: string,
      moustache?: string,
      moustacheFormat?: string,
      bare?: string,
    ) => {
      const name = braced ?? moustache ?? bare;
      const value = name === undefined ? undefined : values.get(name);
      if (value === undefined) return whole;
      return variableText(value, language, placeholder, bracedFormat ?? moustacheFormat);
    },
  );
}

/** The variable names a query mentions (to tell which panels a variable change affects). */
export function mentionsVariable(query: string, name: string): boolean {
  const n = escapeRegExp(name);
  return new RegExp(
    `\\$\\{${n}(?::\\w+)?\\}|\\{\\{\\s*${n}(?::\\w+)?\\s*\\}\\}|\\$${n}(?![A-Za-z0-9_])`,
  ).test(query);
}

export interface ValuesFilter {
  name?: string | null;
  operator?: string | null;
  value?: string | null;
}

/**
 * A query variable's `query_data.filter` as `_values`' `col=v1,v2`, with other variables'
 * values put in (cascading, UI-SPEC §7.4); a filter on "All" or on nothing filters nothing.
 */
export function valuesFilter(
  filters: readonly ValuesFilter[],
  values: ReadonlyMap<string, VariableValue>,
  placeholder: string,
): string | undefined {
  const first = filters.find((f) => (f.name ?? '') !== '' && (f.value ?? '') !== '');
  if (first === undefined) return undefined;
  const text = (first.value ?? '').replace(/\$\{?([A-Za-z0-9_-]+)\}?/g, (whole, name: string) => {
    const value = values.get(name);
    return value === undefined ? whole : variableText(value, 'sql', placeholder, 'csv');
  });
  if (text === '' || text.split(',').includes(placeholder)) return undefined;
  return `${first.name ?? ''}=${text}`;
}
