// pnpm bench:metrics — the metrics path side by side with Prometheus (issue 11):
// 1. remote-write ingest: 1,000 counter series × 1 day at 15 s (5.76 M samples), snappy
//    protobuf bodies made up front, posted by several clients to a real single node → samples/s;
// 2. the same samples loaded into the Debian Prometheus (promtool backfill into blocks);
// 3. `sum by (job) (rate(x[5m]))` as query_range over the whole day on both → p50/p90 and the
//    ratio. O2TS answers from Parquet (flushed before the queries), Prometheus from its blocks.
import { join } from 'node:path';
import {
  BENCH_METRIC,
  BENCH_POINTS,
  BENCH_QUERY,
  BENCH_QUERY_STEP_S,
  PrometheusApiClient,
  counterDay,
  counterLabels,
  counterSamples,
  makeTempDir,
  quantile,
  startPrometheus,
  timeCounterQuery,
  writeCounterBackfill,
} from '@o2/testing';
import { encodeRemoteWrite } from '@o2/prom-remote-write';
import type { RemoteWriteSeries } from '@o2/prom-remote-write';
import { basicAuth, startProductProcess, waitUntilHealthy } from '../product-process.js';

const SERIES = Number(process.env['BENCH_SERIES'] ?? 1000);
const CLIENTS = Number(process.env['BENCH_CLIENTS'] ?? 4);
/** Series per request × samples per series per request. */
const SERIES_PER_REQUEST = 100;
const POINTS_PER_REQUEST = 240;
const QUERY_RUNS = Number(process.env['BENCH_QUERY_RUNS'] ?? 7);
const ROOT = { email: 'root@example.com', password: 'Complexpass#123' };
const DAY = counterDay(SERIES);

function remoteWriteBodies(): { bodies: Buffer[]; samples: number } {
  const bodies: Buffer[] = [];
  let samples = 0;
  for (let first = 0; first < SERIES; first += SERIES_PER_REQUEST) {
    for (let p0 = 0; p0 < BENCH_POINTS; p0 += POINTS_PER_REQUEST) {
      const series: RemoteWriteSeries[] = [];
      for (let s = first; s < Math.min(SERIES, first + SERIES_PER_REQUEST); s++) {
        const points = counterSamples(DAY, s, p0, p0 + POINTS_PER_REQUEST);
        samples += points.length;
        series.push({ labels: { __name__: BENCH_METRIC, ...counterLabels(s) }, samples: points });
      }
      bodies.push(Buffer.from(encodeRemoteWrite(series)));
    }
  }
  return { bodies, samples };
}

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
    await writeCounterBackfill(backfillFile, DAY);
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
    const o2Times = await timeCounterQuery(o2, DAY, QUERY_RUNS, 'O2TS');
    const promTimes = await timeCounterQuery(prom, DAY, QUERY_RUNS, 'Prometheus');

    const o2p50 = quantile(o2Times, 0.5);
    const promP50 = quantile(promTimes, 0.5);
    console.log(
      `metrics bench: ${SERIES} series × ${BENCH_POINTS} points (15 s, 1 day) = ${samples} samples`,
    );
    console.log(
      `  remote write → single node  ${(samples / ingestSeconds).toFixed(0)} samples/s (${bodies.length} requests, ${CLIENTS} clients, ${ingestSeconds.toFixed(2)} s; in Parquet after ${inParquetSeconds.toFixed(2)} s)`,
    );
    console.log(
      `  query_range ${BENCH_QUERY} over the day, step ${BENCH_QUERY_STEP_S}s (${QUERY_RUNS} runs)`,
    );
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
