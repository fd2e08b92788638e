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
    doc: 'Approximate number of distinct values of expr (HyperLogLog).',
    kind: 'aggregate',
    deprecated: false,
  },
  {
    name: 'approx_percentile_cont',
    signature: 'approx_percentile_cont(expr, percentile)',
    doc: 'Approximate value of expr at percentile (0 to 1).',
    kind: 'aggregate',
    deprecated: false,
  },
];

/** `GET /api/{org}/query_functions`: the catalogue above, for any member. */
export function queryFunctionsRoutes(): Router {
  const router = Router();
  router.get('/:org/query_functions', (req, res) => {
    orgContext(req);
    res.json({ list: QUERY_FUNCTIONS });
  });
  return router;
}
