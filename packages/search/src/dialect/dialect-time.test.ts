import { describe } from 'vitest';
import type { Hit } from '../types.js';
import {
  isoMicros,
  logs,
  perRow,
  runCases,
  useOtelLogWorld,
  world,
} from '../test-support/otel-log-world.js';
import type { DialectCase, LogRow } from '../test-support/otel-log-world.js';

useOtelLogWorld();

const TS = 'to_timestamp_micros(_timestamp)';
const date = (r: LogRow): Date => new Date(Math.floor(r._timestamp / 1000));
const pad = (n: number, w = 2): string => String(n).padStart(w, '0');
const bucket = (micros: number, seconds: number, originMicros = 0): string => {
  const step = seconds * 1_000_000;
  return isoMicros(Math.floor((micros - originMicros) / step) * step + originMicros);
};

/** `SELECT <expr> AS k, count(*) AS n ... GROUP BY k` against buckets computed here. */
function buckets(expr: string, key: (r: LogRow) => string | number, extra = ''): DialectCase {
  return {
    sql: `SELECT ${expr} AS k, count(*) AS n FROM "default" GROUP BY k ORDER BY k${extra}`,
    ordered: true,
    expected: () => {
      const counts = new Map<string | number, number>();
      for (const r of logs()) counts.set(key(r), (counts.get(key(r)) ?? 0) + 1);
      return [...counts]
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([k, n]) => ({ k, n }));
    },
  };
}

/** O2's histogram interval grammar: every unit spelling, snapped as O2 snaps. */
const SPELLINGS: ReadonlyArray<readonly [string, number]> = [
  ['1 second', 1],
  ['5 seconds', 5],
  ['10 s', 10],
  ['15 sec', 15],
  ['30 secs', 30],
  ['1 minute', 60],
  ['2 minutes', 120],
  ['1 m', 60],
  ['5 min', 300],
  ['10 mins', 600],
  ['1 hour', 3600],
  ['2 hours', 7200],
  ['1 h', 3600],
  ['3 hr', 10800],
  ['6 hrs', 21600],
  ['1 day', 86400],
  ['2 days', 172800],
  ['1 d', 86400],
  ['7 seconds', 10],
  ['45s', 45],
];
const HISTOGRAM: DialectCase[] = SPELLINGS.map(([interval, seconds]) =>
  buckets(`histogram(_timestamp, '${interval}')`, (r) =>
    bucket(r._timestamp, seconds, Date.UTC(2001, 0, 1) * 1000),
  ),
);

const ISO = '2023-11-14T22:13:20';

const TIME: DialectCase[] = [
  perRow(TS, (r) => isoMicros(r._timestamp)),
  perRow('to_timestamp_millis(_timestamp / 1000)', (r) =>
    isoMicros(Math.trunc(r._timestamp / 1000) * 1000),
  ),
  perRow('to_timestamp_seconds(_timestamp / 1000000)', (r) =>
    isoMicros(Math.trunc(r._timestamp / 1e6) * 1e6),
  ),
  perRow('to_timestamp_nanos(_timestamp * 1000)', (r) => isoMicros(r._timestamp)),
  perRow('to_timestamp(_timestamp / 1000000)', (r) =>
    isoMicros(Math.trunc(r._timestamp / 1e6) * 1e6),
  ),
  perRow(`to_timestamp('${ISO}Z')`, () => ISO),
  perRow(`to_timestamp_micros('${ISO}.5+01:00')`, () => '2023-11-14T21:13:20.500000'),
  perRow(`to_timestamp_seconds('${ISO}.75Z')`, () => ISO),
  perRow(`to_timestamp('14/11/2023 22:13', '%d/%m/%Y %H:%M')`, () => '2023-11-14T22:13:00'),
  perRow(`arrow_cast(_timestamp, 'Timestamp(Microsecond, None)')`, (r) => isoMicros(r._timestamp)),
  perRow(`date_bin(INTERVAL '1 minute', ${TS})`, (r) => bucket(r._timestamp, 60)),
  perRow(`date_bin(INTERVAL '7 minutes', ${TS})`, (r) => bucket(r._timestamp, 420)),
  perRow(`date_bin(INTERVAL '30 seconds', ${TS}, TIMESTAMP '2001-01-01 00:00:05')`, (r) =>
    bucket(r._timestamp, 30, Date.UTC(2001, 0, 1, 0, 0, 5) * 1000),
  ),
  perRow(`date_trunc('minute', ${TS})`, (r) => bucket(r._timestamp, 60)),
  perRow(`date_trunc('hour', ${TS})`, (r) => bucket(r._timestamp, 3600)),
  perRow(`date_part('hour', ${TS})`, (r) => date(r).getUTCHours()),
  perRow(`date_part('minute', ${TS})`, (r) => date(r).getUTCMinutes()),
  perRow(`date_part('second', ${TS})`, (r) => date(r).getUTCSeconds()),
  perRow(
    `date_part('millisecond', ${TS})`,
    (r) => date(r).getUTCSeconds() * 1000 + date(r).getUTCMilliseconds(),
  ),
  perRow(`date_part('dow', ${TS})`, (r) => date(r).getUTCDay()),
  perRow(`date_part('epoch', ${TS})`, (r) => r._timestamp / 1e6),
  perRow(`extract(year FROM ${TS})`, (r) => date(r).getUTCFullYear()),
  perRow(`extract(month FROM ${TS})`, (r) => date(r).getUTCMonth() + 1),
  perRow(`extract(doy FROM ${TS})`, () => 318),
  perRow(`date_format(_timestamp, '%Y-%m-%d %H:%M:%S', 'UTC')`, (r) =>
    isoMicros(r._timestamp).slice(0, 19).replace('T', ' '),
  ),
  perRow(`date_format(_timestamp, '%H:%M', '+08:00')`, (r) => {
    const d = new Date(Math.floor(r._timestamp / 1000) + 8 * 3600_000);
    return `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
  }),
  perRow(`date_format(_timestamp, '%d %H', '-05:30')`, (r) => {
    const d = new Date(Math.floor(r._timestamp / 1000) - 5.5 * 3600_000);
    return `${pad(d.getUTCDate())} ${pad(d.getUTCHours())}`;
  }),
  perRow(`date_format(_timestamp / 1000, '%Y%m%d', 'Asia/Kolkata')`, () => '20231115'),
  perRow(`date_format(${TS}, '%Y-%m-%dT%H:%M:%S%.3f')`, (r) =>
    isoMicros(r._timestamp).slice(0, 23).padEnd(23, '.000'),
  ),
  perRow(`to_char(${TS}, '%F %T')`, (r) => isoMicros(r._timestamp).slice(0, 19).replace('T', ' ')),
  perRow(`to_unixtime(${TS})`, (r) => Math.floor(r._timestamp / 1e6)),
  perRow(`from_unixtime(1700000000)`, () => ISO),
  perRow(`to_timestamp_seconds(TIMESTAMP '${ISO.replace('T', ' ')}.7')`, () => ISO),
  perRow(`to_timestamp_micros(now()) <= now()`, () => true),
  perRow(`cast_to_timestamp('${ISO}Z')`, () => ISO),
  perRow(`cast_to_timestamp('1700000000000')`, () => ISO),
  {
    sql: `SELECT count(*) AS n FROM default WHERE ${TS} < now() AND ${TS} > now() - INTERVAL '36500 days'`,
    expected: (): Hit[] => [{ n: world.logs.length }],
  },
  {
    sql: `SELECT count(*) AS n FROM default WHERE ${TS} >= TIMESTAMP '2023-11-14 22:15:00'`,
    expected: (): Hit[] => [
      { n: logs((r) => r._timestamp >= Date.UTC(2023, 10, 14, 22, 15) * 1000).length },
    ],
  },
  buckets(`histogram(_timestamp, '1 hour', '+05:30')`, (r) =>
    bucket(r._timestamp + 5.5 * 3600e6, 3600, Date.UTC(2001, 0, 1) * 1000),
  ),
  buckets(`histogram(_timestamp)`, (r) => bucket(r._timestamp, 10, Date.UTC(2001, 0, 1) * 1000)),
];

describe('O2 dialect: time functions and histogram intervals', () => {
  runCases([...HISTOGRAM, ...TIME]);
});
