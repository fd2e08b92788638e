// pnpm bench:metrics-query (vitest with vitest.bench.config.ts) — never part of `pnpm test`,
// whose include pattern (*.test.ts) does not match this file. The query half of `pnpm bench:metrics` (issue 11) without remote
// write: the same 1,000 counter series × 1 day at 15 s go into a single node (router, real
// ingester and querier as the standalone wires them) through the ingester's JSON ingest of
// metric rows, are flushed to Parquet, and `sum by (job) (rate(x[5m]))` runs as query_range
// over the day on it and on the Debian Prometheus holding the same samples (promtool backfill).
// Env: BENCH_SERIES (1000), BENCH_QUERY_RUNS (7), BENCH_PROMETHEUS=0 to time O2TS only,
// BENCH_DIR=<dir> to keep the node's data there and reuse it on the next run (no ingest),
// PERFQ_LOG=1 to print the querier's own search timings (its info log lines).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { it } from 'vitest';
import { metricRecord } from '@o2/metrics';
import {
  BENCH_METRIC,
  BENCH_POINTS,
  BENCH_QUERY,
  BENCH_QUERY_STEP_S,
  PrometheusApiClient,
  benchDayEnd,
  counterDay,
  counterLabels,
  counterSamples,
  makeTempDir,
  quantile as p,
  startPrometheus,
  timeCounterQuery,
  writeCounterBackfill,
} from '@o2/testing';
import { startMetricsNode } from '../test-support/metrics-node.js';
import { call, rootAuth } from '../test-support/start-router.js';

const SERIES = Number(process.env['BENCH_SERIES'] ?? 1000);
const QUERY_RUNS = Number(process.env['BENCH_QUERY_RUNS'] ?? 7);
const WITH_PROMETHEUS = process.env['BENCH_PROMETHEUS'] !== '0';
const SERIES_PER_BODY = 10;

const KEPT_DIR = process.env['BENCH_DIR'];
const LOADED_MARK = KEPT_DIR === undefined ? undefined : join(KEPT_DIR, 'bench-loaded.json');
/** The day the data covers: whole 15 s steps ending an hour ago, or the kept data's day. */
const KEPT: { endMs: number; series: number } | undefined =
  LOADED_MARK !== undefined && existsSync(LOADED_MARK)
    ? (JSON.parse(readFileSync(LOADED_MARK, 'utf8')) as { endMs: number; series: number })
    : undefined;
const DAY = counterDay(SERIES, KEPT?.endMs ?? benchDayEnd());

function jsonBody(first: number): Uint8Array {
  const rows: unknown[] = [];
  for (let s = first; s < Math.min(SERIES, first + SERIES_PER_BODY); s++)
    for (const { value, timestampMs } of counterSamples(DAY, s))
      rows.push(
        metricRecord({
          name: BENCH_METRIC,
          labels: counterLabels(s),
          value,
          timestampUs: timestampMs * 1000,
        }),
      );
  return new TextEncoder().encode(JSON.stringify(rows));
}

async function main(): Promise<void> {
  if (KEPT_DIR !== undefined) mkdirSync(KEPT_DIR, { recursive: true });
  const dir =
    KEPT_DIR === undefined
      ? await makeTempDir('bench-metrics-query')
      : { path: KEPT_DIR, remove: async () => {} };
  const { o2, ingester } = await startMetricsNode(dir.path, {
    ZO_INGEST_ALLOWED_UPTO: '48',
    RUST_LOG: process.env['PERFQ_LOG'] ? 'info' : 'warn',
  });
  let prometheus: Awaited<ReturnType<typeof startPrometheus>> | undefined;
  try {
    const started = performance.now();
    if (KEPT !== undefined && KEPT.series !== SERIES) throw new Error('BENCH_DIR holds other data');
    for (let first = 0; first < (KEPT === undefined ? SERIES : 0); first += SERIES_PER_BODY) {
      const result = await ingester.ingest({
        org: 'default',
        stream: BENCH_METRIC,
        streamType: 'metrics',
        format: 'json',
        body: jsonBody(first),
      });
      const failed = result.response?.status.reduce((n, s) => n + s.failed, 0) ?? 0;
      if (failed > 0) throw new Error(`${failed} rows refused`);
    }
    const flushed = await call(o2.url, '/node/flush', { method: 'PUT', auth: rootAuth() });
    if (flushed.status !== 200) throw new Error(`flush answered ${flushed.status}`);
    const loadSeconds = (performance.now() - started) / 1000;
    if (LOADED_MARK !== undefined)
      writeFileSync(LOADED_MARK, JSON.stringify({ endMs: DAY.endMs, series: SERIES }));

    const o2Api = new PrometheusApiClient(`${o2.url}/api/default/prometheus`, {
      headers: { authorization: rootAuth() },
      timeoutMs: 300_000,
    });
    const o2Times = await timeCounterQuery(o2Api, DAY, QUERY_RUNS, 'O2TS');
    if (process.env['PERFQ_LOG'])
      for (const l of o2.logs) if (l.includes('"msg":"search"')) console.log(l.slice(0, 300));
    console.log(
      `metrics query bench: ${SERIES} series × ${BENCH_POINTS} points = ${SERIES * BENCH_POINTS}`,
    );
    const heapMb = (process.memoryUsage().heapUsed / 1e6).toFixed(0);
    console.log(
      `  JSON ingest + flush to Parquet ${loadSeconds.toFixed(1)} s (JS heap ${heapMb} MB)`,
    );
    console.log(
      `  query_range ${BENCH_QUERY} over the day, step ${BENCH_QUERY_STEP_S}s (${QUERY_RUNS} runs)`,
    );
    console.log(
      `    O2TS        p50 ${p(o2Times, 0.5).toFixed(0)} ms  p90 ${p(o2Times, 0.9).toFixed(0)} ms`,
    );
    if (!WITH_PROMETHEUS) return;
    const backfillFile = join(dir.path, 'backfill.om');
    await writeCounterBackfill(backfillFile, DAY);
    prometheus = await startPrometheus({
      scrapeSelf: false,
      backfillFile,
      extraArgs: ['--storage.tsdb.retention.time=30d'],
      readyTimeoutMs: 120_000,
    });
    const promApi = new PrometheusApiClient(prometheus.url, { timeoutMs: 300_000 });
    const promTimes = await timeCounterQuery(promApi, DAY, QUERY_RUNS, 'Prometheus');
    console.log(
      `    Prometheus  p50 ${p(promTimes, 0.5).toFixed(0)} ms  p90 ${p(promTimes, 0.9).toFixed(0)} ms`,
    );
    console.log(
      `    ratio O2TS / Prometheus (p50)  ${(p(o2Times, 0.5) / p(promTimes, 0.5)).toFixed(2)}×`,
    );
  } finally {
    await prometheus?.stop();
    await o2.close();
    await dir.remove();
  }
}

it('query_range over 1 day of Parquet, O2TS beside Prometheus', main, 3_600_000);
