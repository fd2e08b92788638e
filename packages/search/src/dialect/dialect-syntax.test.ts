import { describe } from 'vitest';
import type { Hit } from '../types.js';
import {
  countBy,
  logs,
  perRow,
  runCases,
  SERVICE_ROWS,
  useOtelLogWorld,
  world,
} from '../test-support/otel-log-world.js';
import type { DialectCase, LogRow } from '../test-support/otel-log-world.js';

useOtelLogWorld();

const total = (): Hit[] => [{ n: world.logs.length }];
const count = (where: (r: LogRow) => boolean) => (): Hit[] => [{ n: logs(where).length }];
const ids = (where: (r: LogRow) => boolean) => (): Hit[] =>
  logs(where).map((r) => ({ _timestamp: r._timestamp }));

/** Every spelling of the stream name O2 accepts. */
const QUOTING: DialectCase[] = [
  'default',
  '"default"',
  "'default'",
  'Default',
  'DEFAULT',
  'logs.default',
  '"logs"."default"',
  'logs."default"',
  "logs.'default'",
].map((from) => ({ sql: `SELECT count(*) AS n FROM ${from}`, expected: total }));

const SYNTAX: DialectCase[] = [
  {
    sql: `SELECT count(*) AS n FROM 'default' AS d WHERE d.service_name = 'cart'`,
    expected: count((r) => r.service_name === 'cart'),
  },
  {
    sql: `SELECT count(*) AS n FROM default d JOIN services s ON d.service_name = s.service_name`,
    expected: count((r) => SERVICE_ROWS.some((s) => s.service_name === r.service_name)),
  },
  {
    sql: `SELECT "service_name" AS k, count(*) AS n FROM default GROUP BY "service_name"`,
    expected: () => countBy(logs(), (r) => r.service_name),
  },
  {
    sql: `SELECT count(*) AS n FROM default -- FROM default is counted once\nWHERE body <> 'FROM default'`,
    expected: total,
  },
  {
    sql: `SELECT count(*) AS n FROM /* a stream */ default WHERE service_name IN ('cart', 'checkout')`,
    expected: count((r) => r.service_name === 'cart' || r.service_name === 'checkout'),
  },
  { sql: `SELECT count(*) AS n FROM (SELECT * FROM default) t`, expected: total },
  {
    sql: `WITH d AS (SELECT * FROM default WHERE ok) SELECT count(*) AS n FROM d`,
    expected: count((r) => r.ok),
  },
  // LIKE: DataFusion escapes with a backslash, so `\%` and `\_` are literal.
  {
    sql: `SELECT _timestamp FROM default WHERE body LIKE '50\\%%'`,
    expected: ids((r) => r.body.startsWith('50%')),
  },
  {
    sql: `SELECT _timestamp FROM default WHERE body LIKE '%applied\\_code=A\\_1'`,
    expected: ids((r) => r.body.endsWith('applied_code=A_1')),
  },
  {
    sql: `SELECT _timestamp FROM default WHERE body LIKE '%a_plied%'`,
    expected: ids((r) => /a.plied/.test(r.body)),
  },
  {
    sql: `SELECT _timestamp FROM default WHERE body NOT LIKE '%error%'`,
    expected: ids((r) => !r.body.includes('error')),
  },
  {
    sql: `SELECT _timestamp FROM default WHERE body ILIKE '%ERROR%'`,
    expected: ids((r) => r.body.toLowerCase().includes('error')),
  },
  {
    sql: `SELECT _timestamp FROM default WHERE body NOT ILIKE 'get %'`,
    expected: ids((r) => !r.body.toLowerCase().startsWith('get ')),
  },
  // PostgreSQL regex operators search anywhere in the text.
  {
    sql: `SELECT _timestamp FROM default WHERE body ~ 'ms$'`,
    expected: ids((r) => /ms$/.test(r.body)),
  },
  {
    sql: `SELECT _timestamp FROM default WHERE body ~* 'timeout'`,
    expected: ids((r) => /timeout/i.test(r.body)),
  },
  {
    sql: `SELECT _timestamp FROM default WHERE body !~ '[0-9]{4}'`,
    expected: ids((r) => !/[0-9]{4}/.test(r.body)),
  },
  {
    sql: `SELECT _timestamp FROM default WHERE body !~* '^(get|user)'`,
    expected: ids((r) => !/^(get|user)/i.test(r.body)),
  },
  // Integer division truncates toward zero; a float operand divides exactly.
  perRow('bytes / 7', (r) => Math.trunc(r.bytes / 7)),
  perRow('bytes / 7.0', (r) => r.bytes / 7),
  perRow('severity_number / 2 * 2', (r) => Math.trunc(r.severity_number / 2) * 2),
  perRow('bytes % 10', (r) => r.bytes % 10),
  {
    sql: `SELECT 7 / 2 AS a, -7 / 2 AS b, 7 / 2.0 AS c, count(*) AS n FROM default`,
    expected: () => [{ a: 3, b: -3, c: 3.5, n: world.logs.length }],
  },
  // count(DISTINCT) ignores NULLs, as DataFusion does.
  {
    sql: `SELECT count(DISTINCT http_status_code) AS n, count(http_status_code) AS m FROM default`,
    expected: () => [
      {
        n: new Set(logs((r) => r.http_status_code !== undefined).map((r) => r.http_status_code))
          .size,
        m: logs((r) => r.http_status_code !== undefined).length,
      },
    ],
  },
  // `FROM` inside extract/substring/trim is not a stream.
  perRow('extract(hour FROM to_timestamp_micros(_timestamp))', (r) =>
    new Date(r._timestamp / 1000).getUTCHours(),
  ),
  perRow(`substring(service_name FROM 2 FOR 3)`, (r) => r.service_name.slice(1, 4)),
  perRow(`trim(BOTH 'x' FROM 'xx' || service_name || 'x')`, (r) => r.service_name),
  {
    sql: `SELECT CASE WHEN http_status_code >= 500 THEN 'server' WHEN http_status_code >= 400 THEN 'client' ELSE 'fine' END AS k, count(*) AS n FROM default GROUP BY k`,
    expected: () =>
      countBy(logs(), (r) => {
        const c = r.http_status_code;
        return c !== undefined && c >= 500
          ? 'server'
          : c !== undefined && c >= 400
            ? 'client'
            : 'fine';
      }),
  },
  perRow(`COALESCE(http_status_code, -1)`, (r) => r.http_status_code ?? -1),
  perRow(`service_name || '/' || k8s_pod_name`, (r) => `${r.service_name}/${r.k8s_pod_name}`),
];

describe('O2 dialect: quoting, operators and semantics DataFusion fixes', () => {
  runCases([...QUOTING, ...SYNTAX]);
});
