// pnpm bench:traces — telemetrygen (the real OpenTelemetry load generator, OTLP/gRPC) offers a
// real single node BENCH_RATE spans/s (default 12,000) for BENCH_SECONDS (default 20) from
// BENCH_WORKERS workers (default 16); then the node flushes and the bench counts the spans
// stored (`_search` count over the stream) against the spans telemetrygen generated.
//
// Why an offered rate rather than "as fast as it can" (BENCH_RATE=0 still does that): an
// unthrottled telemetrygen spins its workers on every core, and its SDK exports batches of 100
// spans one at a time and silently drops what overflows its 2,048-span queue. On a shared
// 2-core box its exporter then starves: against a sink that answers at once it delivered
// ~2,100 spans/s with 4 workers, so the figure measured telemetrygen, not the node. With a
// rate, generated = offered load, and stored = generated means every span landed (a slow
// export shows up as spans lost in the client's queue).
import { freePort, makeTempDir, runTelemetrygen } from '@o2/testing';
import { basicAuth, startProductProcess, waitUntilHealthy } from '../product-process.js';

const SECONDS = Number(process.env['BENCH_SECONDS'] ?? 20);
const WORKERS = Number(process.env['BENCH_WORKERS'] ?? 16);
const RATE = Number(process.env['BENCH_RATE'] ?? 12_000);
const ROOT = { email: 'root@example.com', password: 'Complexpass#123' };
const AUTH = basicAuth(ROOT.email, ROOT.password);
const STREAM = 'bench_traces';
/** telemetrygen's default trace: a parent span and one child span. */
const SPANS_PER_TRACE = 2;

async function storedSpans(url: string): Promise<number> {
  const response = await fetch(`${url}/api/default/_search?type=traces`, {
    method: 'POST',
    headers: { authorization: AUTH, 'content-type': 'application/json' },
    body: JSON.stringify({
      query: {
        sql: `SELECT count(*) AS n FROM "${STREAM}"`,
        start_time: (Date.now() - 3_600_000) * 1000,
        end_time: (Date.now() + 60_000) * 1000,
      },
    }),
  });
  const body = (await response.json()) as { hits?: Array<{ n?: number }> };
  return Number(body.hits?.[0]?.n ?? 0);
}

/** Spans generated, from each worker's closing `traces generated {"traces": N}` line. */
function generatedSpans(output: string): number {
  let traces = 0;
  for (const match of output.matchAll(/traces generated.*"traces": (\d+)/g))
    traces += Number(match[1]);
  return traces * SPANS_PER_TRACE;
}

async function main(): Promise<void> {
  const dir = await makeTempDir('bench-traces');
  const grpcPort = await freePort();
  const product = await startProductProcess('standalone', {
    ZO_DATA_DIR: `${dir.path}/`,
    ZO_ROOT_USER_EMAIL: ROOT.email,
    ZO_ROOT_USER_PASSWORD: ROOT.password,
    ZO_GRPC_PORT: String(grpcPort),
    RUST_LOG: 'warn',
  });
  try {
    await waitUntilHealthy(product, 60_000);
    const started = performance.now();
    const run = await runTelemetrygen({
      signal: 'traces',
      endpoint: `127.0.0.1:${grpcPort}`,
      headers: { authorization: AUTH, 'stream-name': STREAM },
      workers: WORKERS,
      count: 1,
      // telemetrygen's --rate is spans per second per worker.
      rate: RATE / WORKERS,
      extraArgs: ['--duration', `${SECONDS}s`],
      timeoutMs: (SECONDS + 60) * 1000,
    });
    const sendSeconds = (performance.now() - started) / 1000;
    const flush = await fetch(`${product.url}/node/flush`, {
      method: 'PUT',
      headers: { authorization: AUTH },
    });
    if (flush.status !== 200) throw new Error(`flush answered ${flush.status}`);
    const spans = await storedSpans(product.url);
    const generated = generatedSpans(run.output);
    // telemetrygen logs zap lines (`<time>\t<LEVEL>\t…`); only WARN/ERROR ones report failures.
    const failures = run.output.split('\n').filter((line) => /\t(WARN|ERROR)\t/.test(line));
    const offered = RATE > 0 ? `${RATE} spans/s offered` : 'unthrottled';
    console.log(
      `traces bench: telemetrygen, OTLP/gRPC, ${WORKERS} workers, ${SECONDS} s, ${offered}`,
    );
    console.log(
      `  spans generated        ${generated} (${(generated / sendSeconds).toFixed(0)}/s)`,
    );
    console.log(`  spans stored           ${spans}`);
    console.log(`  spans/s                ${(spans / sendSeconds).toFixed(0)}`);
    console.log(`  spans lost             ${generated - spans}`);
    console.log(`  telemetrygen errors    ${failures.length}`);
    for (const line of failures.slice(0, 5)) console.log(`    ${line.slice(0, 300)}`);
  } finally {
    await product.stop();
    await dir.remove();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
