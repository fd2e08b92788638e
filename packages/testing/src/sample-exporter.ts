import { createServer } from 'node:http';
import { Counter, Gauge, Histogram, Registry, Summary } from 'prom-client';
import { SeededRandom } from './seeded-random.js';

export interface SampleExporterOptions {
  /** How often the values move (default 200 ms); `tick()` moves them on demand too. */
  tickMs?: number;
  /** Seed of the value generator (default 1), so runs look alike. */
  seed?: number;
}

export interface SampleExporter {
  /** `http://127.0.0.1:<port>`. */
  url: string;
  /** `http://127.0.0.1:<port>/metrics`. */
  metricsUrl: string;
  /** `127.0.0.1:<port>`, for a scrape config's `targets`. */
  target: string;
  port: number;
  /** The metric names it exposes, by type. */
  metrics: typeof SAMPLE_METRICS;
  /** Moves every value once (what the timer does every `tickMs`). */
  tick(): void;
  stop(): Promise<void>;
}

/** What the sample exporter exposes, so tests can name its series without repeating strings. */
export const SAMPLE_METRICS = {
  /** Counter, labels `method` × `code` (6 series). */
  counter: 'o2ts_sample_http_requests_total',
  /** Gauge, label `room` (3 series), moves up and down. */
  gauge: 'o2ts_sample_temperature_celsius',
  /** Classic histogram, label `route` (2 series × 7 buckets + sum + count). */
  histogram: 'o2ts_sample_request_duration_seconds',
  /** Summary, quantiles 0.5 / 0.9 / 0.99, label `route`. */
  summary: 'o2ts_sample_response_size_bytes',
} as const;

const METHODS = ['GET', 'POST'];
const CODES = ['200', '404', '500'];
const ROOMS = ['kitchen', 'lab', 'server-room'];
const ROUTES = ['/api', '/health'];

/**
 * A real `/metrics` endpoint (prom-client, its own registry) on a random loopback port for a
 * real Prometheus to scrape: counters with several label sets, gauges, a classic histogram and a
 * summary, all moving over time — the shapes rate, increase, histogram_quantile and the
 * aggregations need in oracle tests.
 */
export async function startSampleExporter(
  options: SampleExporterOptions = {},
): Promise<SampleExporter> {
  const registry = new Registry();
  const random = new SeededRandom(options.seed ?? 1);
  const requests = new Counter({
    name: SAMPLE_METRICS.counter,
    help: 'Requests served, by method and status code.',
    labelNames: ['method', 'code'],
    registers: [registry],
  });
  const temperature = new Gauge({
    name: SAMPLE_METRICS.gauge,
    help: 'Temperature per room.',
    labelNames: ['room'],
    registers: [registry],
  });
  const duration = new Histogram({
    name: SAMPLE_METRICS.histogram,
    help: 'Request duration per route.',
    labelNames: ['route'],
    buckets: [0.005, 0.01, 0.05, 0.1, 0.5, 1, 5],
    registers: [registry],
  });
  const size = new Summary({
    name: SAMPLE_METRICS.summary,
    help: 'Response size per route.',
    labelNames: ['route'],
    percentiles: [0.5, 0.9, 0.99],
    registers: [registry],
  });
  let step = 0;
  const tick = (): void => {
    step++;
    for (const method of METHODS) {
      for (const code of CODES) {
        // Errors are rarer than successes, so ratios between series are not all 1.
        const weight = code === '200' ? 10 : code === '404' ? 3 : 1;
        requests.inc({ method, code }, Math.floor(random.next() * weight) + 1);
      }
    }
    for (const [i, room] of ROOMS.entries()) {
      temperature.set({ room }, 20 + i * 5 + 3 * Math.sin(step / 5 + i) + random.next());
    }
    for (const route of ROUTES) {
      const scale = route === '/api' ? 0.2 : 0.01;
      for (let n = 0; n < 5; n++) {
        duration.observe({ route }, random.next() * scale * 5);
        size.observe({ route }, Math.floor(random.next() * 10_000));
      }
    }
  };
  tick();
  const timer = setInterval(tick, options.tickMs ?? 200);
  timer.unref();

  const server = createServer((request, response) => {
    if (request.url !== '/metrics') {
      response.writeHead(404).end('not found');
      return;
    }
    registry.metrics().then(
      (text) => response.writeHead(200, { 'content-type': registry.contentType }).end(text),
      (error: unknown) => response.writeHead(500).end(String(error)),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    metricsUrl: `${url}/metrics`,
    target: `127.0.0.1:${port}`,
    port,
    metrics: SAMPLE_METRICS,
    tick,
    stop: () =>
      new Promise<void>((resolve) => {
        clearInterval(timer);
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
