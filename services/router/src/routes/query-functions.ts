import { Router } from 'express';
import { orgContext } from '../auth/auth-context.js';

/** One entry of O2's `GET /{org}/query_functions` list. */
export interface QueryFunction {
  name: string;
  signature: string;
  doc: string;
  kind: 'udf' | 'aggregate';
  deprecated: boolean;
}

/**
 * What our SQL engine (`@o2/search` on DuckDB) actually answers, and nothing more: O2's own
 * functions, then the standard aggregates users write for O2 (the DataFusion spellings the
 * engine maps onto DuckDB's). Kept by hand; a new O2 function in the engine belongs here too.
 */
export const QUERY_FUNCTIONS: readonly QueryFunction[] = [
  {
    name: 'match_all',
    signature: 'match_all(term)',
    doc: "True when any full-text field of the stream contains term, ignoring case. A leading 're:' and '*' at either end of term are ignored.",
    kind: 'udf',
    deprecated: false,
  },
  {
    name: 'match_all_raw',
    signature: 'match_all_raw(term)',
    doc: 'Like match_all, but case-sensitive.',
    kind: 'udf',
    deprecated: true,
  },
  {
    name: 'match_all_raw_ignore_case',
    signature: 'match_all_raw_ignore_case(term)',
    doc: 'The same as match_all.',
    kind: 'udf',
    deprecated: true,
  },
  {
    name: 'str_match',
    signature: 'str_match(field, value)',
    doc: 'True when field contains value (case-sensitive substring).',
    kind: 'udf',
    deprecated: false,
  },
  {
    name: 'str_match_ignore_case',
    signature: 'str_match_ignore_case(field, value)',
    doc: 'True when field contains value, ignoring case.',
    kind: 'udf',
    deprecated: false,
  },
  {
    name: 're_match',
    signature: 're_match(field, pattern)',
    doc: 'True when the regular expression pattern matches somewhere in field.',
    kind: 'udf',
    deprecated: false,
  },
  {
    name: 're_not_match',
    signature: 're_not_match(field, pattern)',
    doc: 'True when the regular expression pattern matches nowhere in field.',
    kind: 'udf',
    deprecated: false,
  },
  {
    name: 'fuzzy_match',
    signature: 'fuzzy_match(field, term, distance)',
    doc: 'True when a whitespace-separated word of field is within Levenshtein distance of term.',
    kind: 'udf',
    deprecated: false,
  },
  {
    name: 'histogram',
    signature: 'histogram(_timestamp[, interval[, timezone]])',
    doc: "The start of the time bucket holding _timestamp, as 'YYYY-MM-DDTHH:MM:SS'. interval is like '10 second' or '5 minute' and is rounded up to a standard step; without it the step follows the query's time range.",
    kind: 'udf',
    deprecated: false,
  },
  {
    name: 'count',
    signature: 'count(*) | count([DISTINCT] expr)',
    doc: 'Number of rows, or of non-null (distinct) values of expr.',
    kind: 'aggregate',
    deprecated: false,
  },
  {
    name: 'sum',
    signature: 'sum(expr)',
    doc: 'Sum of the non-null values of expr.',
    kind: 'aggregate',
    deprecated: false,
  },
  {
    name: 'avg',
    signature: 'avg(expr)',
    doc: 'Average of the non-null values of expr.',
    kind: 'aggregate',
    deprecated: false,
  },
  {
    name: 'min',
    signature: 'min(expr)',
    doc: 'Smallest value of expr.',
    kind: 'aggregate',
    deprecated: false,
  },
  {
    name: 'max',
    signature: 'max(expr)',
    doc: 'Largest value of expr.',
    kind: 'aggregate',
    deprecated: false,
  },
  {
    name: 'approx_distinct',
    signature: 'approx_distinct(expr)',
    doc: 'Number of distinct non-null values of expr (computed exactly).',
    kind: 'aggregate',
    deprecated: false,
  },
  {
    name: 'approx_percentile_cont',
    signature: 'approx_percentile_cont(expr, percentile)',
    doc: 'Value of expr at percentile (0 to 1), interpolated; integer inputs keep their type. Also written approx_percentile_cont(percentile) WITHIN GROUP (ORDER BY expr).',
    kind: 'aggregate',
    deprecated: false,
  },
  ...more(),
];

/**
 * O2's other UDFs and aggregates that @o2/search's dialect layer answers (its function table:
 * packages/search/src/dialect), as [name, signature, doc, kind].
 */
function more(): QueryFunction[] {
  const rows: Array<[string, string, string, QueryFunction['kind']]> = [
    [
      'fuzzy_match_all',
      'fuzzy_match_all(term, distance)',
      'fuzzy_match over every full-text field of the stream.',
      'udf',
    ],
    [
      'match_field',
      'match_field(field, value)',
      'True when field contains value (case-sensitive).',
      'udf',
    ],
    [
      'match_field_ignore_case',
      'match_field_ignore_case(field, value)',
      'True when field contains value, ignoring case.',
      'udf',
    ],
    [
      're_matches',
      're_matches(field, pattern)',
      'Every match of pattern in field (the innermost group that took part), or null without one.',
      'udf',
    ],
    [
      'cast_to_timestamp',
      'cast_to_timestamp(text)',
      'A timestamp from RFC 3339 text or a number of s/ms/µs/ns since the epoch.',
      'udf',
    ],
    [
      'date_format',
      'date_format(micros, format, timezone)',
      'A µs time formatted with a strftime format in a time zone (+08:00, UTC or a zone name).',
      'udf',
    ],
    [
      'arrcount',
      'arrcount(json_array_text)',
      'Number of elements of a JSON array stored as text (0 when not an array).',
      'udf',
    ],
    [
      'arrindex',
      'arrindex(json_array_text, start[, end])',
      'The elements from start to end (0-based, inclusive) as JSON array text.',
      'udf',
    ],
    [
      'arrjoin',
      'arrjoin(json_array_text, delimiter)',
      'The elements joined by delimiter (strings without quotes).',
      'udf',
    ],
    [
      'arrsort',
      'arrsort(json_array_text)',
      'The elements sorted ascending, as JSON array text.',
      'udf',
    ],
    [
      'arr_descending',
      'arr_descending(json_array_text)',
      'The elements sorted descending, as JSON array text.',
      'udf',
    ],
    [
      'arrzip',
      'arrzip(json_array_text, json_array_text, delimiter)',
      'Pairs of elements joined by delimiter, as a JSON array of strings.',
      'udf',
    ],
    ['cast_to_arr', 'cast_to_arr(json_array_text)', 'The elements as a list of strings.', 'udf'],
    ['to_array_string', 'to_array_string(list)', 'A list as JSON array text of strings.', 'udf'],
    [
      'spath',
      'spath(json_text, path)',
      "The value at a dotted path of a JSON object ('a.b'), as text.",
      'udf',
    ],
    [
      'string_to_array_v2',
      'string_to_array_v2(text, delimiter)',
      'text split at delimiter, as a list.',
      'udf',
    ],
    [
      'approx_median',
      'approx_median(expr)',
      'Median of expr (approx_percentile_cont at 0.5).',
      'aggregate',
    ],
    [
      'approx_topk',
      'approx_topk(field, k)',
      'The k most frequent values of field as [{value, count}], most frequent first.',
      'aggregate',
    ],
    [
      'approx_topk_distinct',
      'approx_topk_distinct(field, other, k)',
      'The k values of field with the most distinct values of other, as [{value, count}].',
      'aggregate',
    ],
  ];
  return rows.map(([name, signature, doc, kind]) => ({
    name,
    signature,
    doc,
    kind,
    deprecated: false,
  }));
}

/** `GET /api/{org}/query_functions`: the catalogue above, for any member. */
export function queryFunctionsRoutes(): Router {
  const router = Router();
  router.get('/:org/query_functions', (req, res) => {
    orgContext(req);
    res.json({ list: QUERY_FUNCTIONS });
  });
  return router;
}
