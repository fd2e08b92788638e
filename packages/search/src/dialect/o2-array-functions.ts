import type { CallArgs, FunctionTable } from './dialect-function.js';

/**
 * O2's helpers over arrays stored as JSON text (ingest stringifies arrays), and the
 * datafusion-functions-json family. Elements print the way O2's `stringify_json_value` does:
 * strings bare, everything else as compact JSON. Text that is not JSON reads as "not an array"
 * (O2 panics on some of these; an answer beats a failed query).
 */

/** The JSON array elements of text `s` (JSON values), or NULL when `s` is not a JSON array. */
const elements = (s: string): string =>
  `(CASE WHEN json_valid(${s}) AND json_type(CAST(${s} AS JSON)) = 'ARRAY' ` +
  `THEN json_extract(CAST(${s} AS JSON), '$[*]') END)`;

/** An element as O2 prints it: strings without quotes, null as "null", the rest as JSON. */
const printed = (e: string): string =>
  `coalesce(json_extract_string(${e}, '$'), CAST(${e} AS VARCHAR))`;

const jsonList = (items: string): string => `('[' || array_to_string(${items}, ',') || ']')`;

/** Sort key: numbers by value, strings by text, booleans false < true (O2 sorts per type). */
function sortedElements(s: string, order: 'ASC' | 'DESC'): string {
  const keyed =
    `list_transform(${elements(s)}, lambda e: {'n': TRY_CAST(CAST(e AS VARCHAR) AS DOUBLE), ` +
    `'t': json_extract_string(e, '$'), 'v': CAST(e AS VARCHAR)})`;
  return `list_transform(list_sort(${keyed}, '${order}'), lambda e: e.v)`;
}

function arrindex(a: CallArgs): string {
  const list = elements(a.arg(0));
  const start = `CAST(${a.arg(1)} AS BIGINT)`;
  if (a.count === 2) {
    const one = `list_slice(${list}, ${start} + 1, ${start} + 1)`;
    return `(CASE WHEN ${a.arg(0)} IS NULL OR ${a.arg(1)} IS NULL THEN NULL ELSE ${jsonList(`coalesce(${one}, [])`)} END)`;
  }
  const end = `least(CAST(${a.arg(2)} AS BIGINT), len(${list}) - 1)`;
  const slice = `(CASE WHEN ${start} < len(${list}) AND ${start} <= ${end} THEN list_slice(${list}, ${start} + 1, ${end} + 1) ELSE [] END)`;
  return `(CASE WHEN ${a.arg(0)} IS NULL OR ${a.arg(1)} IS NULL THEN NULL ELSE ${jsonList(`coalesce(${slice}, [])`)} END)`;
}

/** `'a.b'` → the JSON path `$."a"."b"` (keys quoted; O2 walks objects only). */
function objectPath(a: CallArgs, i: number): string {
  const keys = a.text(i, 'the path').split('.');
  return a.lit(
    '$' + keys.map((k) => `."${k.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`).join(''),
  );
}

/** datafusion-functions-json paths: string keys and integer indexes after the JSON text. */
function jsonPath(a: CallArgs, from: number): string {
  let path = '$';
  for (let i = from; i < a.count; i++) {
    if (a.kind(i) === 'integer') path += `[${a.int(i, 'an index')}]`;
    else path += `."${a.text(i, 'a key').replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`;
  }
  return a.lit(path);
}

const jsonGet = (cast: string) => (a: CallArgs) =>
  `TRY_CAST(json_extract_string(${a.arg(0)}, ${jsonPath(a, 1)}) AS ${cast})`;

export const O2_ARRAY_FUNCTIONS: FunctionTable = {
  arrcount: {
    arity: [1, 1],
    sql: (a) => `CAST(coalesce(len(${elements(a.arg(0))}), 0) AS UBIGINT)`,
  },
  arrindex: { arity: [2, 3], sql: arrindex },
  arrjoin: {
    arity: [2, 2],
    sql: (a) =>
      `(CASE WHEN ${a.arg(0)} IS NULL OR ${a.arg(1)} IS NULL THEN NULL ELSE ` +
      `array_to_string(coalesce(list_transform(${elements(a.arg(0))}, lambda e: ${printed('e')}), []), ${a.arg(1)}) END)`,
  },
  arrsort: {
    arity: [1, 1],
    sql: (a) =>
      `(CASE WHEN len(${elements(a.arg(0))}) > 0 THEN ${jsonList(sortedElements(a.arg(0), 'ASC'))} END)`,
  },
  arr_descending: {
    arity: [1, 1],
    sql: (a) =>
      `(CASE WHEN ${a.arg(0)} IS NULL THEN NULL ELSE ` +
      `${jsonList(`coalesce(${sortedElements(a.arg(0), 'DESC')}, [])`)} END)`,
  },
  arrzip: {
    arity: [3, 3],
    sql: (a) => {
      const [l1, l2] = [elements(a.arg(0)), elements(a.arg(1))];
      const pairs =
        `list_transform(range(1, least(len(${l1}), len(${l2})) + 1), lambda i: ` +
        `${printed(`${l1}[i]`)} || ${a.arg(2)} || ${printed(`${l2}[i]`)})`;
      return `(CASE WHEN len(${l1}) > 0 AND len(${l2}) > 0 THEN CAST(to_json(${pairs}) AS VARCHAR) END)`;
    },
  },
  cast_to_arr: {
    arity: [1, 1],
    sql: (a) =>
      `list_filter(list_transform(${elements(a.arg(0))}, lambda e: ${printed('e')}), lambda s: s <> '')`,
  },
  to_array_string: {
    arity: [1, 1],
    sql: `CAST(to_json(list_transform(list_filter($1, lambda x: x IS NOT NULL), lambda x: CAST(x AS VARCHAR))) AS VARCHAR)`,
  },
  spath: {
    arity: [2, 2],
    sql: (a) =>
      `(CASE WHEN json_valid(${a.arg(0)}) THEN ${printed(`json_extract(CAST(${a.arg(0)} AS JSON), ${objectPath(a, 1)})`)} END)`,
  },
  string_to_array_v2: { arity: [2, 2], sql: 'string_split($1, $2)' },
  json_get_str: { arity: [2, 16], sql: jsonGet('VARCHAR') },
  json_get_int: { arity: [2, 16], sql: jsonGet('BIGINT') },
  json_get_float: { arity: [2, 16], sql: jsonGet('DOUBLE') },
  json_get_bool: { arity: [2, 16], sql: jsonGet('BOOLEAN') },
  json_get_json: {
    arity: [2, 16],
    sql: (a) => `CAST(json_extract(${a.arg(0)}, ${jsonPath(a, 1)}) AS VARCHAR)`,
  },
  json_as_text: {
    arity: [2, 16],
    sql: (a) => `json_extract_string(${a.arg(0)}, ${jsonPath(a, 1)})`,
  },
  json_contains: {
    arity: [2, 16],
    sql: (a) => `coalesce(json_exists(${a.arg(0)}, ${jsonPath(a, 1)}), false)`,
  },
  json_length: {
    arity: [1, 16],
    sql: (a) => {
      const at = a.count > 1 ? `json_extract(${a.arg(0)}, ${jsonPath(a, 1)})` : a.arg(0);
      return (
        `(CASE json_type(${at}) WHEN 'ARRAY' THEN json_array_length(${at}) ` +
        `WHEN 'OBJECT' THEN len(json_keys(${at})) END)`
      );
    },
  },
};
