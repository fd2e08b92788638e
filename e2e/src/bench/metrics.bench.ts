// pnpm bench:metrics — the metrics path side by side with Prometheus (issue 11):
// 1. remote-write ingest: 1,000 counter series × 1 day at 15 s (5.76 M samples), snappy
//    protobuf bodies made up front, posted by several clients to a real single node → samples/s;
// 2. the same samples loaded into the Debian Prometheus (promtool backfill into blocks);
// 3. `sum by (job) (rate(x[5m]))` as query_range over the whole day on both → p50/p90 and the
//    ratio. O2TS answers from Parquet (flushed before the queries), Prometheus from its blocks.
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { join } from 'node:path';
import { PrometheusApiClient, makeTempDir, startPrometheus } from '@o2/testing';
import { encodeRemoteWrite } from '@o2/prom-remote-write';
import type { RemoteWriteSeries } from '@o2/prom-remote-write';
import { basicAuth, startProductProcess, waitUntilHealthy } from '../product-process.js';

const SERIES = Number(process.env['BENCH_SERIES'] ?? 1000);
const JOBS = 10;
const STEP_MS = 15_000;
const DAY_MS = 86_400_000;
const POINTS = DAY_MS / STEP_MS;
const CLIENTS = Number(process.env['BENCH_CLIENTS'] ?? 4);
/** Series per request × samples per series per request. */
const SERIES_PER_REQUEST = 100;
const POINTS_PER_REQUEST = 240;
const QUERY_RUNS = Number(process.env['BENCH_QUERY_RUNS'] ?? 7);
const QUERY = 'sum by (job) (rate(bench_requests_total[5m]))';
const QUERY_STEP_S = 60;
const ROOT = { email: 'root@example.com', password: 'Complexpass#123' };

/** The day the data covers: whole 15 s steps ending an hour ago (inside every ingest window). */
const END_MS = Math.floor((Date.now() - 3_600_000) / STEP_MS) * STEP_MS;
const START_MS = END_MS - (POINTS - 1) * STEP_MS;

function labelsOf(series: number): Record<string, string> {
  return {
    __name__: 'bench_requests_total',
    job: `job-${series % JOBS}`,
    instance: `instance-${Math.floor(series / JOBS)}`,
  };
}

/** A counter that grows by a series-specific, varying amount per step (deterministic). */
function valueAt(series: number, point: number): number {
  return point * ((series % 7) + 1) + Math.floor(point / 3) * (series % 3);
}

function remoteWriteBodies(): { bodies: Buffer[]; samples: number } {
  const bodies: Buffer[] = [];
  let samples = 0;
  for (let first = 0; first < SERIES; first += SERIES_PER_REQUEST) {
    for (let p0 = 0; p0 < POINTS; p0 += POINTS_PER_REQUEST) {
      const series: RemoteWriteSeries[] = [];
      for (let s = first; s < Math.min(SERIES, first + SERIES_PER_REQUEST); s++) {
        const points = [];
        for (let p = p0; p < Math.min(POINTS, p0 + POINTS_PER_REQUEST); p++)
          points.push({ value: valueAt(s, p), timestampMs: START_MS + p * STEP_MS });
        samples += points.length;
        series.push({ labels: labelsOf(s), samples: points });
      }
      bodies.push(Buffer.from(encodeRemoteWrite(series)));
    }
  }
  return { bodies, samples };
}

async function writeBackfill(path: string): Promise<void> {
  const out = createWriteStream(path);
  for (let s = 0; s < SERIES; s++) {
    const { job, instance } = labelsOf(s);
    const selector = `bench_requests_total{job="${job}",instance="${instance}"}`;
    let chunk = '';
    for (let p = 0; p < POINTS; p++)
      chunk += `${selector} ${valueAt(s, p)} ${(START_MS + p * STEP_MS) / 1000}\n`;
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
    if (answer.data.resultType !== 'matrix' || answer.data.result.length !== JOBS)
      throw new Error(
        `${label}: expected ${JOBS} series, got ${JSON.stringify(answer.data).slice(0, 300)}`,
      );
    if (run > 0) times.push(ms); // the first run warms caches on both sides
  }
  return times.sort((a, b) => a - b);
}

const quantile = (sorted: number[], q: number): number =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;

async function main(): Promise<void> {
  const dir = await makeTempDir('bench-metrics');
  const product = await startProductProcess('standalone', {
    ZO_DATA_DIR: `${dir.path}/o2/`,
    ZO_ROOT_USER_EMAIL: ROOT.email,
    ZO_ROOT_USER_PASSWORD: ROOT.password,
    ZO_INGEST_ALLOWED_UPTO: '48',
    RUST_LOG: 'warn',
  });
  let prometheus: Awaited<ReturnType<typeof startPrometheus>> | undefined;
  try {
    await waitUntilHealthy(product, 60_000);
    const auth = basicAuth(ROOT.email, ROOT.password);
    const { bodies, samples } = remoteWriteBodies();
    let next = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: CLIENTS }, async () => {
        for (let i = next++; i < bodies.length; i = next++) {
          for (;;) {
            const response = await fetch(`${product.url}/api/default/prometheus/api/v1/write`, {
              method: 'POST',
              headers: {
                authorization: auth,
                'content-type': 'application/x-protobuf',
                'content-encoding': 'snappy',
                'x-prometheus-remote-write-version': '0.1.0',
              },
              body: bodies[i],
            });
            if (response.status === 503 || response.status === 429) {
              await response.arrayBuffer();
              await new Promise((r) =>
                setTimeout(r, 1000 * Number(response.headers.get('retry-after') ?? 1)),
              );
              continue;
            }
            if (response.status >= 300)
              throw new Error(`remote write answered ${response.status}: ${await response.text()}`);
            await response.arrayBuffer();
            break;
          }
        }
      }),
    );
    const ingestSeconds = (performance.now() - started) / 1000;
    const flush = await fetch(`${product.url}/node/flush`, {
      method: 'PUT',
      headers: { authorization: auth },
    });
    if (flush.status !== 200) throw new Error(`flush answered ${flush.status}`);
    const inParquetSeconds = (performance.now() - started) / 1000;

    const backfillFile = join(dir.path, 'backfill.om');
    await writeBackfill(backfillFile);
    prometheus = await startPrometheus({
      scrapeSelf: false,
      backfillFile,
      extraArgs: ['--storage.tsdb.retention.time=30d'],
      readyTimeoutMs: 120_000,
    });

    const o2 = new PrometheusApiClient(`${product.url}/api/default/prometheus`, {
      headers: { authorization: auth },
      timeoutMs: 300_000,
    });
    const prom = new PrometheusApiClient(prometheus.url, { timeoutMs: 300_000 });
    const o2Times = await timeQueries(o2, 'O2TS');
    const promTimes = await timeQueries(prom, 'Prometheus');

    const o2p50 = quantile(o2Times, 0.5);
    const promP50 = quantile(promTimes, 0.5);
    console.log(
      `metrics bench: ${SERIES} series × ${POINTS} points (15 s, 1 day) = ${samples} samples`,
    );
    console.log(
      `  remote write → single node  ${(samples / ingestSeconds).toFixed(0)} samples/s (${bodies.length} requests, ${CLIENTS} clients, ${ingestSeconds.toFixed(2)} s; in Parquet after ${inParquetSeconds.toFixed(2)} s)`,
    );
    console.log(`  query_range ${QUERY} over the day, step ${QUERY_STEP_S}s (${QUERY_RUNS} runs)`);
    console.log(
      `    O2TS        p50 ${o2p50.toFixed(0)} ms  p90 ${quantile(o2Times, 0.9).toFixed(0)} ms`,
    );
    console.log(
      `    Prometheus  p50 ${promP50.toFixed(0)} ms  p90 ${quantile(promTimes, 0.9).toFixed(0)} ms`,
    );
    console.log(`    ratio O2TS / Prometheus (p50)  ${(o2p50 / promP50).toFixed(2)}×`);
  } finally {
    await prometheus?.stop();
    await product.stop();
    await dir.remove();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
