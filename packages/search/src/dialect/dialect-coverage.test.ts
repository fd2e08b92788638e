import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { searchErrorCode } from '../search-error.js';
import { perRow, runCases, search, useOtelLogWorld } from '../test-support/otel-log-world.js';
import type { DialectCase, LogRow } from '../test-support/otel-log-world.js';
import { dialectFunctionNames } from './index.js';

useOtelLogWorld();

const dow = (r: LogRow): number => new Date(Math.floor(r._timestamp / 1000)).getUTCDay();

/** The table's aliases and rarer entries, one hand-computed row each. */
const ALIASES: DialectCase[] = [
  {
    sql: `SELECT approx_percentile_cont_with_weight(bytes, 1, 0.5) - approx_median(bytes) AS v FROM default`,
    expected: () => [{ v: 0 }],
  },
  perRow(
    `cast_to_timestamp(date_trunc('day', to_timestamp_micros(_timestamp)))`,
    () => '2023-11-14T00:00:00',
  ),
  perRow(`regexp_full_match(service_name, 'art')`, (r) => r.service_name.includes('art')),
  perRow(`nanvl(CAST('NaN' AS DOUBLE), 1.5) + nanvl(2.0, 0)`, () => 3.5),
  perRow(`to_date('2023-11-14')`, () => '2023-11-14'),
  perRow(`current_time() IS NOT NULL`, () => true),
  perRow(`datepart('dow', to_timestamp_micros(_timestamp))`, dow),
  perRow(`datetrunc('day', to_timestamp_micros(_timestamp))`, () => '2023-11-14T00:00:00'),
  perRow(`list_element(make_list(service_name, 'x'), 2)`, () => 'x'),
  perRow(`array_empty(make_array(1)) OR empty(make_array(2))`, () => false),
  perRow(`array_contains(make_array(1, 2), 2)`, () => true),
  perRow(`array_push_back(array_push_front(1, make_array(2)), 3)`, () => [1, 2, 3]),
  perRow(`array_cat(make_array(1), make_array(2))`, () => [1, 2]),
  perRow(`array_pop_back(array_pop_front(make_array(1, 2, 3, 4)))`, () => [2, 3]),
  perRow(`array_replace_all(make_array(1, 2, 1), 1, 0)`, () => [0, 2, 0]),
  perRow(`list_to_string(string_to_list('a,b', ','), '+')`, () => 'a+b'),
  perRow(`json_get_float('{"a":{"b":1.25}}', 'a', 'b')`, () => 1.25),
  perRow(`json_get_bool('[true,false]', 1)`, () => false),
  perRow(`json_get_json('{"a":[1,2]}', 'a')`, () => '[1,2]'),
  perRow(`json_as_text('{"a":"x"}', 'a')`, () => 'x'),
];

async function failure(sql: string): Promise<{ code: unknown; message: string }> {
  try {
    await search(sql);
  } catch (err) {
    return { code: searchErrorCode(err), message: err instanceof Error ? err.message : '' };
  }
  return { code: 'no error', message: '' };
}

describe('O2 dialect: every table entry is exercised', () => {
  runCases(ALIASES);

  it('names each translated function in some dialect test', () => {
    const here = dirname(fileURLToPath(import.meta.url));
    const texts = readdirSync(here)
      .filter((f) => f.endsWith('.test.ts'))
      .map((f) => readFileSync(join(here, f), 'utf8'))
      .join('\n');
    const untested = dialectFunctionNames().filter((n) => !new RegExp(`\\b${n}\\(`).test(texts));
    expect(untested).toEqual([]);
  });
});

describe('O2 dialect: errors name the function with O2 code 20001', () => {
  it.each([
    ['SELECT no_such_fn(body) FROM default', "Invalid function 'no_such_fn'"],
    ['SELECT arrow_cast(bytes) FROM default', 'arrow_cast takes 2 arguments'],
    [
      'SELECT arrow_cast(bytes, body) FROM default',
      'arrow_cast: the type must be a string literal',
    ],
    [
      "SELECT arrow_cast(bytes, 'Decimal128(3, 1)') FROM default",
      'arrow_cast: unsupported Arrow type',
    ],
    ["SELECT to_char(now(), '%Q') FROM default", 'to_char: unsupported format specifier %Q'],
    ["SELECT regexp_like(body, 'a', 'x') FROM default", 'regexp_like: unsupported regex flags x'],
    [
      "SELECT date_format(_timestamp, '%Y', 'Mars/Base 1') FROM default",
      'date_format: unknown time zone',
    ],
    ['SELECT approx_topk(body, bytes) FROM default', 'approx_topk: k must be an integer literal'],
    ["SELECT histogram(_timestamp, '10') FROM default", 'Invalid histogram interval'],
    [
      'SELECT approx_distinct(user_id) FILTER (WHERE ok) FROM default',
      'approx_distinct does not take FILTER or ORDER BY here',
    ],
  ])('%s', async (sql, message) => {
    const result = await failure(sql);
    expect(result.code).toBe(20001);
    expect(result.message).toContain(message);
  });

  it('a quoted stream name is only ever a name: unknown streams are 20002', async () => {
    for (const from of [`'default"; DROP TABLE x; --'`, `'nope'`, `nope`, `logs.'x'`]) {
      expect((await failure(`SELECT * FROM ${from}`)).code).toBe(20002);
    }
  });
});
