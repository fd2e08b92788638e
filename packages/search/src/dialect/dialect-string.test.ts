import { describe } from 'vitest';
import type { Hit } from '../types.js';
import { logs, perRow, runCases, useOtelLogWorld } from '../test-support/otel-log-world.js';
import type { DialectCase, LogRow } from '../test-support/otel-log-world.js';

useOtelLogWorld();

const ids = (where: (r: LogRow) => boolean) => (): Hit[] =>
  logs(where).map((r) => ({ _timestamp: r._timestamp }));
const where = (cond: string, f: (r: LogRow) => boolean): DialectCase => ({
  sql: `SELECT _timestamp FROM default WHERE ${cond}`,
  expected: ids(f),
});

/** DataFusion's regexp_match: the first match's groups (or whole match), null without one. */
function regexpMatch(text: string, re: RegExp): string[] | undefined {
  const m = re.exec(text);
  if (m === null) return undefined;
  return m.length > 1 ? m.slice(1) : [m[0]];
}

/** O2's re_matches: every match, the innermost group that took part, quotes stripped. */
function reMatches(text: string, re: RegExp): string[] | undefined {
  const out: string[] = [];
  for (const m of text.matchAll(re)) {
    let v = m[0];
    for (let g = m.length - 1; g >= 1; g--) {
      if (m[g] !== undefined && m[g] !== '') {
        v = m[g]!;
        break;
      }
    }
    out.push(v.length >= 2 && v.startsWith('"') && v.endsWith('"') ? v.slice(1, -1) : v);
  }
  return out.length === 0 ? undefined : out;
}

const STRINGS: DialectCase[] = [
  where(`regexp_like(body, 'error')`, (r) => /error/.test(r.body)),
  where(`regexp_like(body, '^(get|user)', 'i')`, (r) => /^(get|user)/i.test(r.body)),
  where(`NOT regexp_like(body, '\\d{3,}ms')`, (r) => !/\d{3,}ms/.test(r.body)),
  perRow(`regexp_match(body, 'in (\\d+)ms')`, (r) => regexpMatch(r.body, /in (\d+)ms/)),
  perRow(`regexp_match(body, 'order \\d+')`, (r) => regexpMatch(r.body, /order \d+/)),
  perRow(`regexp_match(body, '(\\w+) (\\w+)')[2]`, (r) => regexpMatch(r.body, /(\w+) (\w+)/)?.[1]),
  perRow(
    `array_extract(regexp_match(body, '10\\.0\\.(\\d)\\.(\\d+)'), 1)`,
    (r) => regexpMatch(r.body, /10\.0\.(\d)\.(\d+)/)?.[0],
  ),
  perRow(`regexp_match(body, 'TIMEOUT', 'i')`, (r) => regexpMatch(r.body, /TIMEOUT/i)),
  perRow(`regexp_count(body, '[0-9]+')`, (r) => [...r.body.matchAll(/[0-9]+/g)].length),
  perRow(`regexp_replace(body, '[0-9]+', 'N', 'g')`, (r) => r.body.replace(/[0-9]+/g, 'N')),
  perRow(`regexp_replace(body, '[0-9]+', 'N')`, (r) => r.body.replace(/[0-9]+/, 'N')),
  where(`re_match(body, 'declined|Timeout')`, (r) => /declined|Timeout/.test(r.body)),
  where(`re_not_match(body, 'ms$')`, (r) => !/ms$/.test(r.body)),
  perRow(`re_matches(body, '\\d+')`, (r) => reMatches(r.body, /\d+/g)),
  perRow(`re_matches(body, '"([a-z]+)"')`, (r) => reMatches(r.body, /"([a-z]+)"/g)),
  perRow(`re_matches(attrs, '"id":("([^"]+)"|\\d+)')`, (r) =>
    reMatches(r.attrs, /"id":("([^"]+)"|\d+)/g),
  ),
  where(`str_match(body, 'ERROR')`, (r) => r.body.includes('ERROR')),
  where(`str_match_ignore_case(body, 'error')`, (r) => r.body.toLowerCase().includes('error')),
  where(`match_field(k8s_pod_name, 'cart-1')`, (r) => r.k8s_pod_name.includes('cart-1')),
  where(`match_field_ignore_case(service_name, 'CHECK')`, (r) => r.service_name.includes('check')),
  where(`match_all('declined')`, (r) => r.body.toLowerCase().includes('declined')),
  where(`fuzzy_match(body, 'Timeut', 1)`, (r) => r.body.split(/\s+/).includes('Timeout')),
  perRow(`btrim('  ' || service_name || '  ')`, (r) => r.service_name),
  perRow(`btrim('xx' || service_name || 'x', 'x')`, (r) => r.service_name),
  perRow(`nvl(http_status_code, 0)`, (r) => r.http_status_code ?? 0),
  perRow(`nvl2(duration_ms, 'timed', 'untimed')`, (r) =>
    r.duration_ms === undefined ? 'untimed' : 'timed',
  ),
  perRow(`nullif(k8s_namespace_name, 'default')`, (r) =>
    r.k8s_namespace_name === 'default' ? undefined : r.k8s_namespace_name,
  ),
  // Float → integer casts truncate in DataFusion (DuckDB would round).
  perRow(`arrow_cast(duration_ms, 'Int64')`, (r) =>
    r.duration_ms === undefined ? undefined : Math.trunc(r.duration_ms),
  ),
  perRow(`CAST(duration_ms AS BIGINT)`, (r) =>
    r.duration_ms === undefined ? undefined : Math.trunc(r.duration_ms),
  ),
  perRow(`(duration_ms * -1)::INT`, (r) =>
    r.duration_ms === undefined ? undefined : Math.trunc(-r.duration_ms) || 0,
  ),
  perRow(`CAST(2.7 AS BIGINT) + CAST(-2.7 AS INTEGER)`, () => 0),
  perRow(`arrow_cast(bytes, 'Float64') / 4`, (r) => r.bytes / 4),
  perRow(`arrow_cast(severity_number, 'Utf8') || '!'`, (r) => `${r.severity_number}!`),
  perRow(
    `arrow_typeof(bytes) || ',' || arrow_typeof(body) || ',' || arrow_typeof(duration_ms)`,
    () => 'Int64,Utf8,Float64',
  ),
  perRow(`split_part(k8s_pod_name, '-', 2)`, (r) => r.k8s_pod_name.split('-')[1]),
  perRow(`strpos(body, 'in')`, (r) => r.body.indexOf('in') + 1),
  perRow(
    `starts_with(body, 'GET') AND ends_with(body, 'ms')`,
    (r) => r.body.startsWith('GET') && r.body.endsWith('ms'),
  ),
  perRow(
    `upper(left(service_name, 3)) || lower(right(severity_text, 2))`,
    (r) => r.service_name.slice(0, 3).toUpperCase() + r.severity_text.slice(-2).toLowerCase(),
  ),
  perRow(
    `character_length(body) + length(service_name)`,
    (r) => r.body.length + r.service_name.length,
  ),
  perRow(`concat_ws('|', service_name, http_status_code, severity_text)`, (r) =>
    [r.service_name, r.http_status_code, r.severity_text].filter((x) => x !== undefined).join('|'),
  ),
  perRow(
    `concat(service_name, http_status_code)`,
    (r) => `${r.service_name}${r.http_status_code ?? ''}`,
  ),
  perRow(`replace(k8s_pod_name, '-', '_')`, (r) => r.k8s_pod_name.replaceAll('-', '_')),
  perRow(`reverse(service_name)`, (r) => [...r.service_name].reverse().join('')),
  perRow(`lpad(CAST(severity_number AS VARCHAR), 3, '0')`, (r) =>
    String(r.severity_number).padStart(3, '0'),
  ),
  perRow(`substr(trace_id, 1, 8)`, (r) => r.trace_id.slice(0, 8)),
  perRow(`round(duration_ms / 3, 2)`, (r) =>
    r.duration_ms === undefined ? undefined : Math.round((r.duration_ms / 3) * 100) / 100,
  ),
  perRow(`abs(bytes) % 7 + power(2, 3)`, (r) => (Math.abs(r.bytes) % 7) + 8),
  perRow(`iszero(bytes % 2)`, (r) => r.bytes % 2 === 0),
  perRow(`signum(bytes)`, (r) => Math.sign(r.bytes)),
  perRow(`CAST(http_status_code AS VARCHAR)`, (r) => r.http_status_code?.toString()),
  perRow(`CASE severity_text WHEN 'ERROR' THEN 3 WHEN 'WARN' THEN 2 ELSE 1 END`, (r) =>
    r.severity_text === 'ERROR' ? 3 : r.severity_text === 'WARN' ? 2 : 1,
  ),
];

describe('O2 dialect: regex, string and scalar functions', () => {
  runCases(STRINGS);
});
