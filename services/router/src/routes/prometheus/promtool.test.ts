import { execFile, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PromqlEngine, formatFloatPlain } from '@o2/promql';
import { memorySource, sampleSeries } from '../../test-support/metric-samples.js';
import { ingestSeries, startMetricsNode } from '../../test-support/metrics-node.js';
import type { MetricsNode } from '../../test-support/metrics-node.js';
import { ROOT_EMAIL, ROOT_PASSWORD, makeDbDir } from '../../test-support/start-router.js';

const MINUTE = 60_000;
const START = Math.floor((Date.now() - 45 * MINUTE) / MINUTE) * MINUTE;
const SERIES = sampleSeries(START, 30);
const EVAL = START + 25 * MINUTE;

/** Debian's `prometheus` package ships promtool; scripts/ensure-test-deps.sh installs it. */
const which = spawnSync('sh', ['-c', 'command -v promtool'], { encoding: 'utf8' });
const PROMTOOL = which.status === 0 ? which.stdout.trim() : '';
if (PROMTOOL === '')
  process.stderr.write(
    'promtool.test.ts skipped: promtool is not on PATH (apt-get install prometheus, or run scripts/ensure-test-deps.sh)\n',
  );

// Prometheus's own client (promtool, the Go API client Grafana's backend shares) against the
// API: POST form bodies, Basic credentials from the URL, its JSON decoding of our answers.
describe.skipIf(PROMTOOL === '')('promtool query against the Prometheus API', () => {
  let dir: { path: string; remove(): Promise<void> };
  let node: MetricsNode;
  const oracle = new PromqlEngine(memorySource(SERIES));

  const server = () => {
    const url = new URL(`${node.o2.url}/api/default/prometheus`);
    url.username = encodeURIComponent(ROOT_EMAIL);
    url.password = encodeURIComponent(ROOT_PASSWORD);
    return url.toString();
  };
  const promtool = async (...args: string[]) => {
    const { stdout } = await promisify(execFile)(PROMTOOL, ['query', ...args], {
      timeout: 30_000,
    });
    return JSON.parse(stdout) as unknown;
  };

  beforeAll(async () => {
    dir = await makeDbDir();
    node = await startMetricsNode(dir.path);
    await ingestSeries(node.ingester, 'default', SERIES);
  }, 60_000);
  afterAll(async () => {
    await node?.o2.close();
    await dir?.remove();
  });

  it('runs instant queries and gets the engine answer', async () => {
    const query = 'sum by (job) (rate(http_requests_total[5m]))';
    const got = await promtool('instant', '-o', 'json', `--time=${EVAL / 1000}`, server(), query);
    const want = await oracle.instantQuery(query, EVAL);
    if (want.resultType !== 'vector') throw new Error('expected a vector');
    expect(got).toEqual(
      want.result.map((s) => ({
        metric: Object.fromEntries(s.labels.list.map((l) => [l.name, l.value])),
        value: [s.t / 1000, formatFloatPlain(s.v)],
      })),
    );
    expect(want.result.length).toBe(2);
  });

  it('runs range queries', async () => {
    const query = 'histogram_quantile(0.5, sum by (le) (rate(req_duration_seconds_bucket[5m])))';
    const start = START + 10 * MINUTE;
    const end = START + 20 * MINUTE;
    const got = await promtool(
      'range',
      '-o',
      'json',
      `--start=${new Date(start).toISOString()}`,
      `--end=${end / 1000}`,
      '--step=2m',
      server(),
      query,
    );
    const want = await oracle.rangeQuery(query, start, end, 2 * MINUTE);
    if (want.resultType !== 'matrix') throw new Error('expected a matrix');
    expect(got).toEqual(
      want.result.map((s) => ({
        metric: {},
        values: [...s.timestamps].map((t, i) => [t / 1000, formatFloatPlain(s.values[i]!)]),
      })),
    );
    expect(want.result[0]?.timestamps.length).toBe(6);
  });
});
