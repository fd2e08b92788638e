import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import type { PrometheusApiClient } from './prometheus-api-client.js';

// The metrics benches (e2e remote write, router JSON ingest) load the same counter day into
// O2TS and into Prometheus and time the same query on both; one definition keeps them comparable.

export const BENCH_METRIC = 'bench_requests_total';
export const BENCH_JOBS = 10;
export const BENCH_STEP_MS = 15_000;
export const BENCH_POINTS = 86_400_000 / BENCH_STEP_MS;
export const BENCH_QUERY = `sum by (job) (rate(${BENCH_METRIC}[5m]))`;
export const BENCH_QUERY_STEP_S = 60;

/** `series` counters over one day of whole 15 s steps ending at `endMs`. */
export interface CounterDay {
  series: number;
  startMs: number;
  endMs: number;
}

/** The day ends an hour ago (inside every ingest window), on a whole step. */
export function counterDay(series: number, endMs = benchDayEnd()): CounterDay {
  return { series, startMs: endMs - (BENCH_POINTS - 1) * BENCH_STEP_MS, endMs };
}

export function benchDayEnd(now = Date.now()): number {
  return Math.floor((now - 3_600_000) / BENCH_STEP_MS) * BENCH_STEP_MS;
}

export function counterLabels(series: number): { job: string; instance: string } {
  return {
    job: `job-${series % BENCH_JOBS}`,
    instance: `instance-${Math.floor(series / BENCH_JOBS)}`,
  };
}

/** A counter that grows by a series-specific, varying amount per step (deterministic). */
export function counterValue(series: number, point: number): number {
  return point * ((series % 7) + 1) + Math.floor(point / 3) * (series % 3);
}

/** Samples `from` (inclusive) to `to` (exclusive, capped at the day's end) of one series. */
export function counterSamples(
  day: CounterDay,
  series: number,
  from = 0,
  to = BENCH_POINTS,
): Array<{ value: number; timestampMs: number }> {
  const samples = [];
  for (let p = from; p < Math.min(BENCH_POINTS, to); p++)
    samples.push({ value: counterValue(series, p), timestampMs: day.startMs + p * BENCH_STEP_MS });
  return samples;
}

/** The day as an OpenMetrics file for `promtool tsdb create-blocks-from openmetrics`. */
export async function writeCounterBackfill(path: string, day: CounterDay): Promise<void> {
  const out = createWriteStream(path);
  for (let s = 0; s < day.series; s++) {
    const { job, instance } = counterLabels(s);
    const selector = `${BENCH_METRIC}{job="${job}",instance="${instance}"}`;
    let chunk = '';
    for (const { value, timestampMs } of counterSamples(day, s))
      chunk += `${selector} ${value} ${timestampMs / 1000}\n`;
    if (!out.write(chunk)) await once(out, 'drain');
  }
  out.end('# EOF\n');
  await once(out, 'finish');
}

/** Runs BENCH_QUERY over the day `runs + 1` times; the sorted times of all but the first. */
export async function timeCounterQuery(
  api: PrometheusApiClient,
  day: CounterDay,
  runs: number,
  label: string,
): Promise<number[]> {
  const range = { start: day.startMs / 1000, end: day.endMs / 1000, step: BENCH_QUERY_STEP_S };
  const jobs = Math.min(BENCH_JOBS, day.series);
  const times: number[] = [];
  for (let run = 0; run <= runs; run++) {
    const started = performance.now();
    const answer = await api.queryRange(BENCH_QUERY, range);
    const ms = performance.now() - started;
    if (answer.status !== 'success') throw new Error(`${label}: ${JSON.stringify(answer)}`);
    if (answer.data.resultType !== 'matrix' || answer.data.result.length !== jobs)
      throw new Error(
        `${label}: expected ${jobs} series: ${JSON.stringify(answer.data).slice(0, 300)}`,
      );
    if (run > 0) times.push(ms); // the first run warms caches on both sides
  }
  return times.sort((a, b) => a - b);
}

export const quantile = (sorted: number[], q: number): number =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
