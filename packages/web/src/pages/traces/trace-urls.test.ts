import { describe, expect, it } from 'vitest';
import { decodeQuery } from '../logs/query';
import {
  LOGS_MARGIN_US,
  percentilesSql,
  scatterSql,
  traceDetailsPath,
  traceLogsPath,
} from './trace-urls';

describe('trace links and queries', () => {
  const range = { startNs: 1_000_000_500, endNs: 1_100_000_000 };

  it('links a trace detail with its window in µs, the end covering the last span', () => {
    const url = new URL(traceDetailsPath('default', 'my "s"', 'ab12', range), 'http://x');
    expect(url.pathname).toBe('/traces/trace-details');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      stream: 'my "s"',
      trace_id: 'ab12',
      from: '1000000',
      to: '1100001',
      org_identifier: 'default',
    });
  });

  it("opens the logs filtered by trace (and span) id around the trace's window", () => {
    const url = new URL(traceLogsPath('o', 'app', "x'y", range, 's1'), 'http://x');
    expect(url.pathname).toBe('/logs');
    expect(decodeQuery(url.searchParams.get('query'))).toBe(`"trace_id"='x''y' AND "span_id"='s1'`);
    expect(Number(url.searchParams.get('from'))).toBe(1_000_000 - LOGS_MARGIN_US);
    expect(Number(url.searchParams.get('to'))).toBe(1_100_000 + LOGS_MARGIN_US);
  });

  it('keeps the user filter inside its own parentheses', () => {
    expect(scatterSql('s', "a='1' OR b='2'")).toContain(`FROM "s" WHERE (a='1' OR b='2') GROUP BY`);
    expect(percentilesSql('s', '')).toBe(
      'SELECT approx_percentile_cont(duration, 0.25) AS p25, approx_percentile_cont(duration, 0.5) AS p50, ' +
        'approx_percentile_cont(duration, 0.75) AS p75, approx_percentile_cont(duration, 0.95) AS p95, ' +
        'approx_percentile_cont(duration, 0.99) AS p99 FROM "s"',
    );
  });
});
