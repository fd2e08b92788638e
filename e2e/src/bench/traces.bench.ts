// pnpm bench:traces — telemetrygen (the real OpenTelemetry load generator, OTLP/gRPC) sends
// traces to a real single node for BENCH_SECONDS (default 20) with BENCH_WORKERS workers as
// fast as it can; then the node flushes and the bench counts the spans stored (`_search`
// count over the stream) and prints spans/s and how many telemetrygen reported as failed.
import { freePort, makeTempDir, runTelemetrygen } from '@o2/testing';
import { basicAuth, startProductProcess, waitUntilHealthy } from '../product-process.js';

const SECONDS = Number(process.env['BENCH_SECONDS'] ?? 20);
const WORKERS = Number(process.env['BENCH_WORKERS'] ?? 4);
const ROOT = { email: 'root@example.com', password: 'Complexpass#123' };
const AUTH = basicAuth(ROOT.email, ROOT.password);
const STREAM = 'bench_traces';

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
    // telemetrygen logs zap lines (`<time>\t<LEVEL>\t…`); only WARN/ERROR ones report failures.
    const failures = run.output.split('\n').filter((line) => /\t(WARN|ERROR)\t/.test(line));
    console.log(`traces bench: telemetrygen, OTLP/gRPC, ${WORKERS} workers, ${SECONDS} s`);
    console.log(`  spans stored           ${spans}`);
    console.log(`  spans/s                ${(spans / sendSeconds).toFixed(0)}`);
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
