import { describe } from 'vitest';
import type { Hit } from '../types.js';
import {
  countBy,
  logs,
  percentileCont,
  runCases,
  SERVICE_ROWS,
  SERVICES,
  useOtelLogWorld,
  world,
} from '../test-support/otel-log-world.js';
import type { DialectCase, LogRow } from '../test-support/otel-log-world.js';

useOtelLogWorld();

const one =
  (row: () => Hit): (() => Hit[]) =>
  () => [row()];
const durations = (rows: readonly LogRow[] = logs()): Array<number | undefined> =>
  rows.map((r) => r.duration_ms);
const sum = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0);
const byService = <T>(f: (rows: LogRow[]) => T): Array<[string, T]> =>
  SERVICES.map((s) => [s, f(logs((r) => r.service_name === s))] as [string, T]);

/** O2's approx_topk: [{value, count}] by count descending (ties: value ascending). */
function topK(values: readonly string[], k: number): Hit[] {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts]
    .sort(([va, a], [vb, b]) => b - a || (va < vb ? -1 : 1))
    .slice(0, k)
    .map(([value, count]) => ({ value, count }));
}

const AGGREGATES: DialectCase[] = [
  {
    sql: `SELECT approx_distinct(user_id) AS n, approx_distinct(http_status_code) AS s FROM default`,
    expected: one(() => ({
      n: new Set(logs().map((r) => r.user_id)).size,
      s: new Set(logs((r) => r.http_status_code !== undefined).map((r) => r.http_status_code)).size,
    })),
  },
  {
    sql: `SELECT approx_percentile_cont(duration_ms, 0.9) AS p FROM default`,
    expected: one(() => ({ p: percentileCont(durations(), 0.9) })),
  },
  {
    sql: `SELECT approx_percentile_cont(bytes, 0.5) AS p FROM default`,
    expected: one(() => ({
      p: Math.trunc(
        percentileCont(
          logs().map((r) => r.bytes),
          0.5,
        ),
      ),
    })),
  },
  {
    sql: `SELECT approx_percentile_cont(0.75) WITHIN GROUP (ORDER BY duration_ms) AS p FROM default`,
    expected: one(() => ({ p: percentileCont(durations(), 0.75) })),
  },
  {
    sql: `SELECT approx_percentile_cont(0.25) WITHIN GROUP (ORDER BY duration_ms DESC) AS p FROM default`,
    expected: one(() => ({ p: percentileCont(durations(), 0.75) })),
  },
  {
    sql: `SELECT service_name AS k, approx_percentile_cont(0.5) WITHIN GROUP (ORDER BY bytes) AS p FROM default GROUP BY k`,
    expected: () =>
      byService((rows) =>
        Math.trunc(
          percentileCont(
            rows.map((r) => r.bytes),
            0.5,
          ),
        ),
      ).map(([k, p]) => ({ k, p })),
  },
  {
    sql: `SELECT approx_median(duration_ms) AS m, median(severity_number) AS s FROM default`,
    expected: one(() => ({
      m: percentileCont(durations(), 0.5),
      s: Math.trunc(
        percentileCont(
          logs().map((r) => r.severity_number),
          0.5,
        ),
      ),
    })),
  },
  {
    sql: `SELECT approx_topk(k8s_pod_name, 3) AS top FROM default`,
    expected: one(() => ({
      top: topK(
        logs().map((r) => r.k8s_pod_name),
        3,
      ),
    })),
  },
  {
    sql: `SELECT item.value AS pod, item.count AS cnt FROM (SELECT unnest(approx_topk(user_id, 4)) AS item FROM default) ORDER BY cnt DESC, pod`,
    ordered: true,
    expected: () =>
      topK(
        logs().map((r) => r.user_id),
        4,
      ).map((h) => ({ pod: h.value, cnt: h.count })),
  },
  {
    sql: `SELECT approx_topk_distinct(service_name, user_id, 2) AS top FROM default`,
    expected: one(() => {
      const pairs = new Set(logs().map((r) => `${r.service_name}\u0000${r.user_id}`));
      return {
        top: topK(
          [...pairs].map((p) => p.split('\u0000')[0]!),
          2,
        ),
      };
    }),
  },
  {
    sql: `SELECT service_name AS k, count(*) AS n, sum(bytes) AS b, min(bytes) AS lo, max(bytes) AS hi, avg(severity_number) AS a FROM default GROUP BY k`,
    expected: () =>
      byService((rows) => rows).map(([k, rows]) => ({
        k,
        n: rows.length,
        b: sum(rows.map((r) => r.bytes)),
        lo: Math.min(...rows.map((r) => r.bytes)),
        hi: Math.max(...rows.map((r) => r.bytes)),
        a: sum(rows.map((r) => r.severity_number)) / rows.length,
      })),
  },
  {
    sql: `SELECT user_id AS k, count(*) AS n FROM default GROUP BY user_id HAVING count(*) > 21`,
    expected: () => countBy(logs(), (r) => r.user_id).filter((h) => (h.n as number) > 21),
  },
  {
    sql: `SELECT severity_text AS k, count(*) AS n FROM default WHERE ok GROUP BY k HAVING avg(bytes) > 2000 ORDER BY n DESC, k`,
    ordered: true,
    expected: () =>
      ['INFO', 'WARN', 'ERROR', 'DEBUG']
        .map((k) => [k, logs((r) => r.ok && r.severity_text === k)] as const)
        .filter(([, rows]) => sum(rows.map((r) => r.bytes)) / rows.length > 2000)
        .map(([k, rows]) => ({ k, n: rows.length }))
        .sort((a, b) => b.n - a.n || (a.k < b.k ? -1 : 1)),
  },
  {
    sql: `SELECT count(*) AS n, count(duration_ms) AS d, count(DISTINCT k8s_namespace_name) AS ns FROM default`,
    expected: one(() => ({
      n: world.logs.length,
      d: durations().filter((d) => d !== undefined).length,
      ns: 3,
    })),
  },
  {
    sql: `SELECT string_agg(DISTINCT k8s_namespace_name, ',' ORDER BY k8s_namespace_name) AS s, bool_and(bytes > -1000) AS b, bool_or(NOT ok) AS o FROM default`,
    expected: one(() => ({ s: 'default,prod,staging', b: true, o: logs().some((r) => !r.ok) })),
  },
  {
    sql: `SELECT array_agg(DISTINCT severity_number ORDER BY severity_number) AS a FROM default`,
    expected: one(() => ({ a: [5, 9, 13, 17] })),
  },
  // Window functions.
  {
    sql: `SELECT _timestamp, row_number() OVER (PARTITION BY service_name ORDER BY _timestamp) AS rn FROM default`,
    expected: () =>
      logs().map((r) => ({
        _timestamp: r._timestamp,
        rn: logs((x) => x.service_name === r.service_name && x._timestamp <= r._timestamp).length,
      })),
  },
  {
    sql: `SELECT _timestamp, lag(bytes) OVER (ORDER BY _timestamp) AS prev, lead(bytes, 2) OVER (ORDER BY _timestamp) AS next FROM default`,
    expected: () =>
      world.logs.map((r, i) => {
        const hit: Hit = { _timestamp: r._timestamp };
        if (i > 0) hit.prev = world.logs[i - 1]!.bytes;
        if (i + 2 < world.logs.length) hit.next = world.logs[i + 2]!.bytes;
        return hit;
      }),
  },
  {
    sql: `SELECT _timestamp, sum(bytes) OVER (PARTITION BY k8s_namespace_name ORDER BY _timestamp ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS running FROM default`,
    expected: () =>
      logs().map((r) => ({
        _timestamp: r._timestamp,
        running: sum(
          logs(
            (x) => x.k8s_namespace_name === r.k8s_namespace_name && x._timestamp <= r._timestamp,
          ).map((x) => x.bytes),
        ),
      })),
  },
  {
    sql: `SELECT service_name AS k, n, rank() OVER (ORDER BY n DESC, service_name) AS r FROM (SELECT service_name, count(*) AS n FROM default WHERE ok GROUP BY service_name)`,
    expected: () =>
      countBy(
        logs((r) => r.ok),
        (r) => r.service_name,
      )
        .sort((a, b) => (b.n as number) - (a.n as number) || (a.k! < b.k! ? -1 : 1))
        .map((h, i) => ({ ...h, r: i + 1 })),
  },
  {
    sql: `SELECT _timestamp, approx_distinct(user_id) OVER (PARTITION BY service_name) AS u, approx_median(duration_ms) OVER (PARTITION BY service_name) AS m FROM default`,
    expected: () =>
      logs().map((r) => {
        const rows = logs((x) => x.service_name === r.service_name);
        return {
          _timestamp: r._timestamp,
          u: new Set(rows.map((x) => x.user_id)).size,
          m: percentileCont(durations(rows), 0.5),
        };
      }),
  },
  // CTEs, subqueries and joins between streams.
  {
    sql: `WITH errs AS (SELECT service_name, count(*) AS n FROM default WHERE severity_text = 'ERROR' GROUP BY service_name) SELECT s.team AS team, sum(e.n) AS n FROM errs e JOIN services s ON e.service_name = s.service_name GROUP BY team`,
    expected: () => {
      const teams = new Map<string, number>();
      for (const r of logs((x) => x.severity_text === 'ERROR')) {
        const s = SERVICE_ROWS.find((x) => x.service_name === r.service_name);
        if (s !== undefined) teams.set(s.team, (teams.get(s.team) ?? 0) + 1);
      }
      return [...teams].map(([team, n]) => ({ team, n }));
    },
  },
  {
    sql: `SELECT d.service_name AS k, s.tier AS t, count(*) AS n FROM default d LEFT JOIN services s ON d.service_name = s.service_name GROUP BY k, t`,
    expected: () =>
      countBy(logs(), (r) => r.service_name).map((h) => {
        const s = SERVICE_ROWS.find((x) => x.service_name === h.k);
        return s === undefined ? h : { ...h, t: s.tier };
      }),
  },
  {
    sql: `SELECT count(*) AS n FROM default WHERE service_name IN (SELECT service_name FROM services WHERE team = 'web')`,
    expected: one(() => ({
      n: logs((r) => r.service_name === 'cart' || r.service_name === 'frontend').length,
    })),
  },
  {
    sql: `SELECT count(*) AS n FROM default d WHERE NOT EXISTS (SELECT 1 FROM services s WHERE s.service_name = d.service_name)`,
    expected: one(() => ({ n: logs((r) => r.service_name === 'shipping').length })),
  },
  {
    sql: `SELECT count(*) AS n FROM default WHERE bytes > (SELECT avg(bytes) FROM default)`,
    expected: one(() => {
      const avg = sum(logs().map((r) => r.bytes)) / world.logs.length;
      return { n: logs((r) => r.bytes > avg).length };
    }),
  },
  {
    sql: `SELECT k, count(*) AS n FROM (SELECT CASE WHEN duration_ms IS NULL THEN 'none' WHEN duration_ms < 500 THEN 'fast' ELSE 'slow' END AS k FROM default) GROUP BY k`,
    expected: () =>
      countBy(logs(), (r) =>
        r.duration_ms === undefined ? 'none' : r.duration_ms < 500 ? 'fast' : 'slow',
      ),
  },
  {
    sql: `SELECT service_name AS k FROM default UNION SELECT service_name FROM services`,
    expected: () => SERVICES.map((k) => ({ k })),
  },
];

describe('O2 dialect: aggregates, windows, CTEs, subqueries and joins', () => {
  runCases(AGGREGATES);
});
