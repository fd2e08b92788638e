// pnpm bench:metrics-query (vitest with vitest.bench.config.ts) — never part of `pnpm test`,
// whose include pattern (*.test.ts) does not match this file. The query half of `pnpm bench:metrics` (issue 11) without remote
// write: the same 1,000 counter series × 1 day at 15 s go into a single node (router, real
// ingester and querier as the standalone wires them) through the ingester's JSON ingest of
// metric rows, are flushed to Parquet, and `sum by (job) (rate(x[5m]))` runs as query_range
// over the day on it and on the Debian Prometheus holding the same samples (promtool backfill).
// Env: BENCH_SERIES (1000), BENCH_QUERY_RUNS (7), BENCH_PROMETHEUS=0 to time O2TS only,
// BENCH_DIR=<dir> to keep the node's data there and reuse it on the next run (no ingest),
// PERFQ_LOG=1 to print the querier's own search timings (its info log lines).
import { createWriteStream, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { join } from 'node:path';
import { it } from 'vitest';
import { metricRecord } from '@o2/metrics';
import { PrometheusApiClient, makeTempDir, startPrometheus } from '@o2/testing';
import { startMetricsNode } from '../test-support/metrics-node.js';
import { call, rootAuth } from '../test-support/start-router.js';

const SERIES = Number(process.env['BENCH_SERIES'] ?? 1000);
const QUERY_RUNS = Number(process.env['BENCH_QUERY_RUNS'] ?? 7);
const WITH_PROMETHEUS = process.env['BENCH_PROMETHEUS'] !== '0';
const JOBS = 10;
const STEP_MS = 15_000;
const POINTS = 86_400_000 / STEP_MS;
const SERIES_PER_BODY = 10;
const METRIC = 'bench_requests_total';
const QUERY = `sum by (job) (rate(${METRIC}[5m]))`;
const QUERY_STEP_S = 60;

const KEPT_DIR = process.env['BENCH_DIR'];
const LOADED_MARK = KEPT_DIR === undefined ? undefined : join(KEPT_DIR, 'bench-loaded.json');
/** The day the data covers: whole 15 s steps ending an hour ago, or the kept data's day. */
const KEPT: { endMs: number; series: number } | undefined =
  LOADED_MARK !== undefined && existsSync(LOADED_MARK)
    ? (JSON.parse(readFileSync(LOADED_MARK, 'utf8')) as { endMs: number; series: number })
    : undefined;
const END_MS = KEPT?.endMs ?? Math.floor((Date.now() - 3_600_000) / STEP_MS) * STEP_MS;
const START_MS = END_MS - (POINTS - 1) * STEP_MS;

const labelsOf = (series: number) => ({
  job: `job-${series % JOBS}`,
  instance: `instance-${Math.floor(series / JOBS)}`,
});

/** The counter of metrics.bench.ts: grows by a series-specific, varying amount per step. */
const valueAt = (series: number, point: number) =>
  point * ((series % 7) + 1) + Math.floor(point / 3) * (series % 3);

function jsonBody(first: number): Uint8Array {
  const rows: unknown[] = [];
  for (let s = first; s < Math.min(SERIES, first + SERIES_PER_BODY); s++)
    for (let p = 0; p < POINTS; p++)
      rows.push(
        metricRecord({
          name: METRIC,
          labels: labelsOf(s),
          value: valueAt(s, p),
          timestampUs: (START_MS + p * STEP_MS) * 1000,
        }),
      );
  return new TextEncoder().encode(JSON.stringify(rows));
}

async function writeBackfill(path: string): Promise<void> {
  const out = createWriteStream(path);
  for (let s = 0; s < SERIES; s++) {
    const { job, instance } = labelsOf(s);
    let chunk = '';
    for (let p = 0; p < POINTS; p++)
      chunk += `${METRIC}{job="${job}",instance="${instance}"} ${valueAt(s, p)} ${(START_MS + p * STEP_MS) / 1000}\n`;
    if (!out.write(chunk)) await once(out, 'drain');
  }
  out.end('# EOF\n');
  await once(out, 'finish');
}

async function timeQueries(api: PrometheusApiClient, label: string): Promise<number[]> {
  const range = { start: START_MS / 1000, end: END_MS / 1000, step: QUERY_STEP_S };
  const times: number[] = [];
  for (let run = 0; run <= QUERY_RUNS; run++) {
    const started = performance.now();
    const answer = await api.queryRange(QUERY, range);
    const ms = performance.now() - started;
    if (answer.status !== 'success') throw new Error(`${label}: ${JSON.stringify(answer)}`);
    const jobs = Math.min(JOBS, SERIES);
    if (answer.data.resultType !== 'matrix' || answer.data.result.length !== jobs)
      throw new Error(
        `${label}: expected ${jobs} series: ${JSON.stringify(answer.data).slice(0, 300)}`,
      );
    if (run > 0) times.push(ms); // the first run warms caches on both sides
  }
  return times.sort((a, b) => a - b);
}

const p = (sorted: number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;

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
        stream: METRIC,
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
      writeFileSync(LOADED_MARK, JSON.stringify({ endMs: END_MS, series: SERIES }));

    const o2Api = new PrometheusApiClient(`${o2.url}/api/default/prometheus`, {
      headers: { authorization: rootAuth() },
      timeoutMs: 300_000,
    });
    const o2Times = await timeQueries(o2Api, 'O2TS');
    if (process.env['PERFQ_LOG'])
      for (const l of o2.logs) if (l.includes('"msg":"search"')) console.log(l.slice(0, 300));
    console.log(`metrics query bench: ${SERIES} series × ${POINTS} points = ${SERIES * POINTS}`);
    const heapMb = (process.memoryUsage().heapUsed / 1e6).toFixed(0);
    console.log(
      `  JSON ingest + flush to Parquet ${loadSeconds.toFixed(1)} s (JS heap ${heapMb} MB)`,
    );
    console.log(`  query_range ${QUERY} over the day, step ${QUERY_STEP_S}s (${QUERY_RUNS} runs)`);
    console.log(
      `    O2TS        p50 ${p(o2Times, 0.5).toFixed(0)} ms  p90 ${p(o2Times, 0.9).toFixed(0)} ms`,
    );
    if (!WITH_PROMETHEUS) return;
    const backfillFile = join(dir.path, 'backfill.om');
    await writeBackfill(backfillFile);
    prometheus = await startPrometheus({
      scrapeSelf: false,
      backfillFile,
      extraArgs: ['--storage.tsdb.retention.time=30d'],
      readyTimeoutMs: 120_000,
    });
    const promApi = new PrometheusApiClient(prometheus.url, { timeoutMs: 300_000 });
    const promTimes = await timeQueries(promApi, 'Prometheus');
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
