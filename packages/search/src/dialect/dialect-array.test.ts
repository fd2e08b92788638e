import { describe } from 'vitest';
import type { Hit } from '../types.js';
import { logs, perRow, runCases, useOtelLogWorld } from '../test-support/otel-log-world.js';
import type { DialectCase, LogRow } from '../test-support/otel-log-world.js';

useOtelLogWorld();

type Json = string | number | boolean | null | Json[] | { [k: string]: Json };

const tags = (r: LogRow): Json[] => JSON.parse(r.tags) as Json[];
/** O2's stringify_json_value: strings bare, the rest as compact JSON. */
const printed = (v: Json): string => (typeof v === 'string' ? v : JSON.stringify(v));
/** O2 sorts by the first element's type: numbers by value, strings and booleans as such. */
const sortJson = (xs: Json[], desc = false): Json[] =>
  [...xs].sort((a, b) => {
    const [x, y] = [printed(a), printed(b)];
    const c = typeof a === 'number' && typeof b === 'number' ? a - b : x < y ? -1 : x > y ? 1 : 0;
    return desc ? -c : c;
  });
const json = (xs: Json[]): string => `[${xs.map((x) => JSON.stringify(x)).join(',')}]`;
const dedup = <T>(xs: readonly T[]): T[] => xs.filter((x, i) => xs.indexOf(x) === i);

const A = `make_array(severity_number, 1, 9)`;
const a = (r: LogRow): number[] => [r.severity_number, 1, 9];
const B = `make_array(9, 13)`;

const ARRAYS: DialectCase[] = [
  perRow(A, a),
  perRow(`array_length(${A})`, () => 3),
  perRow(`cardinality(${A})`, () => 3),
  perRow(`array_has(${A}, 13)`, (r) => a(r).includes(13)),
  perRow(`array_has_all(${A}, ${B})`, (r) => [9, 13].every((x) => a(r).includes(x))),
  perRow(`array_has_any(${A}, ${B})`, () => true),
  perRow(`array_position(${A}, 9)`, (r) => a(r).indexOf(9) + 1),
  perRow(`array_positions(${A}, 9)`, (r) => a(r).flatMap((x, i) => (x === 9 ? [i + 1] : []))),
  perRow(`array_append(${A}, 0)`, (r) => [...a(r), 0]),
  perRow(`array_prepend(0, ${A})`, (r) => [0, ...a(r)]),
  perRow(`array_concat(${A}, ${B}, make_array(7))`, (r) => [...a(r), 9, 13, 7]),
  perRow(`array_distinct(${A})`, (r) => dedup(a(r)).sort((x, y) => x - y)),
  perRow(`array_sort(${A})`, (r) => [...a(r)].sort((x, y) => x - y)),
  perRow(`array_sort(${A}, 'DESC')`, (r) => [...a(r)].sort((x, y) => y - x)),
  perRow(`array_reverse(${A})`, (r) => [...a(r)].reverse()),
  perRow(`array_slice(${A}, 2, 3)`, (r) => a(r).slice(1, 3)),
  perRow(`array_remove(${A}, 9)`, (r) => {
    const xs = a(r);
    xs.splice(xs.indexOf(9), 1);
    return xs;
  }),
  perRow(`array_remove_all(array_append(${A}, 9), 9)`, (r) => [...a(r), 9].filter((x) => x !== 9)),
  perRow(`array_replace(${A}, 9, 0)`, (r) => {
    const xs = a(r);
    xs[xs.indexOf(9)] = 0;
    return xs;
  }),
  perRow(`array_to_string(${A}, '-')`, (r) => a(r).join('-')),
  perRow(
    `array_join(make_array(service_name, k8s_namespace_name), '/')`,
    (r) => `${r.service_name}/${r.k8s_namespace_name}`,
  ),
  perRow(`array_union(${A}, ${B})`, (r) => dedup([...a(r), 9, 13])),
  perRow(`array_intersect(${A}, ${B})`, (r) => dedup(a(r)).filter((x) => [9, 13].includes(x))),
  perRow(`array_except(${A}, ${B})`, (r) => dedup(a(r)).filter((x) => ![9, 13].includes(x))),
  perRow(`array_max(${A}) - array_min(${A})`, (r) => Math.max(...a(r)) - Math.min(...a(r))),
  perRow(`array_element(${A}, 1)`, (r) => r.severity_number),
  perRow(`${A}[2]`, () => 1),
  perRow(
    `array_extract(string_to_array(k8s_pod_name, '-'), 2)`,
    (r) => r.k8s_pod_name.split('-')[1],
  ),
  perRow(`array_repeat(service_name, 2)`, (r) => [r.service_name, r.service_name]),
  {
    sql: `SELECT t AS k, count(*) AS n FROM (SELECT unnest(string_to_array(k8s_pod_name, '-')) AS t FROM default) GROUP BY k`,
    expected: () => {
      const counts = new Map<string, number>();
      for (const r of logs())
        for (const t of r.k8s_pod_name.split('-')) counts.set(t, (counts.get(t) ?? 0) + 1);
      return [...counts].map(([k, n]) => ({ k, n }));
    },
  },
  // O2's helpers over JSON-array text.
  perRow(`arrcount(tags)`, (r) => tags(r).length),
  perRow(`arrindex(tags, 1)`, (r) => json(tags(r).slice(1, 2))),
  perRow(`arrindex(tags, 0, 1)`, (r) => json(tags(r).slice(0, 2))),
  perRow(`arrindex(tags, 1, 10)`, (r) => json(tags(r).slice(1))),
  perRow(`arrjoin(tags, '|')`, (r) => tags(r).map(printed).join('|')),
  perRow(`arrsort(tags)`, (r) => (tags(r).length === 0 ? undefined : json(sortJson(tags(r))))),
  perRow(`arr_descending(tags)`, (r) => json(sortJson(tags(r), true))),
  perRow(`arrzip(tags, '["p","q"]', ':')`, (r) => {
    const xs = tags(r);
    if (xs.length === 0) return undefined;
    return JSON.stringify(xs.slice(0, 2).map((x, i) => `${printed(x)}:${['p', 'q'][i]}`));
  }),
  perRow(`cast_to_arr(tags)`, (r) =>
    tags(r)
      .map(printed)
      .filter((s) => s !== ''),
  ),
  perRow(`to_array_string(make_array(service_name, user_id))`, (r) =>
    JSON.stringify([r.service_name, r.user_id]),
  ),
  perRow(`to_array_string(${A})`, (r) => JSON.stringify(a(r).map(String))),
  perRow(
    `spath(attrs, 'user.tier')`,
    (r) => (JSON.parse(r.attrs) as { user: { tier: string } }).user.tier,
  ),
  perRow(`spath(attrs, 'user')`, (r) =>
    JSON.stringify((JSON.parse(r.attrs) as { user: Json }).user),
  ),
  perRow(`spath(attrs, 'n')`, (r) => String((JSON.parse(r.attrs) as { n: number }).n)),
  perRow(`spath(attrs, 'missing.key')`, () => undefined),
  perRow(`string_to_array_v2(user_id, 'u')`, (r) => r.user_id.split('u')),
  perRow(`json_get_str(attrs, 'user', 'id')`, (r) => r.user_id),
  perRow(`json_get_int(attrs, 'n') * 10`, (r) => (JSON.parse(r.attrs) as { n: number }).n * 10),
  perRow(`json_contains(attrs, 'region')`, () => true),
  perRow(`json_length(attrs)`, () => 3),
  perRow(`json_length(tags)`, (r) => tags(r).length),
  {
    sql: `SELECT spath(attrs, 'user.tier') AS k, count(*) AS n FROM default WHERE arrcount(tags) > 1 GROUP BY k`,
    expected: (): Hit[] => {
      const counts = new Map<string, number>();
      for (const r of logs((x) => tags(x).length > 1)) {
        const k = (JSON.parse(r.attrs) as { user: { tier: string } }).user.tier;
        counts.set(k, (counts.get(k) ?? 0) + 1);
      }
      return [...counts].map(([k, n]) => ({ k, n }));
    },
  },
];

describe('O2 dialect: DataFusion arrays and O2 array/JSON helpers', () => {
  runCases(ARRAYS);
});
