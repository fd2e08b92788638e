import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compareQueryResults, expectSameQueryResult } from './compare-query-results.js';
import { openMetricsText } from './open-metrics.js';
import { runPromtoolQuery } from './promtool.js';
import { startRequestRecorder } from './request-recorder.js';
import type { PromQueryData } from './prometheus-api-client.js';
import { startPrometheus } from './prometheus-server.js';
import type { PrometheusHandle } from './prometheus-server.js';
import { SAMPLE_METRICS, startSampleExporter } from './sample-exporter.js';
import type { SampleExporter } from './sample-exporter.js';

// The real Debian Prometheus, scraping itself and the prom-client sample exporter, and
// remote-writing to a second real Prometheus: what the PromQL oracle tests stand on.

let exporter: SampleExporter;
const started: PrometheusHandle[] = [];

beforeAll(async () => {
  exporter = await startSampleExporter();
});

afterAll(async () => {
  await Promise.all(started.map((p) => p.stop()));
  await exporter.stop();
});

async function prometheus(
  options: Parameters<typeof startPrometheus>[0],
): Promise<PrometheusHandle> {
  const handle = await startPrometheus(options);
  started.push(handle);
  return handle;
}

const sampleJob = () => ({ job: 'sample', targets: [exporter.target] });

function vectorValues(data: PromQueryData): Record<string, string> {
  if (data.resultType !== 'vector') throw new Error(`expected a vector, got ${data.resultType}`);
  return Object.fromEntries(data.result.map((s) => [s.metric['job'] ?? '', s.value?.[1] ?? '']));
}

describe('startPrometheus', () => {
  it('scrapes itself and the sample exporter and answers instant queries', async () => {
    const server = await prometheus({ scrapeTargets: [sampleJob()] });
    await server.waitForTargetsUp(2);
    await server.waitForSeries(SAMPLE_METRICS.counter, 6);

    expect(vectorValues(await server.api.instant('sum by (job) (up)'))).toEqual({
      prometheus: '1',
      sample: '1',
    });
    // Every kind of metric the exporter has arrives with its label sets: 6 counters, 3 gauges,
    // 2 × (7 buckets + +Inf) histogram buckets, 2 × 3 summary quantiles.
    const counts = await server.api.instant(
      `count by (__name__) ({job="sample", __name__=~"o2ts_sample_.*"})`,
    );
    if (counts.resultType !== 'vector') throw new Error(counts.resultType);
    const byName = Object.fromEntries(
      counts.result.map((s): [string, number] => [
        s.metric['__name__'] ?? '',
        Number(s.value?.[1]),
      ]),
    );
    expect(byName).toMatchObject({
      [SAMPLE_METRICS.counter]: 6,
      [SAMPLE_METRICS.gauge]: 3,
      [`${SAMPLE_METRICS.histogram}_bucket`]: 16,
      [`${SAMPLE_METRICS.histogram}_count`]: 2,
      [SAMPLE_METRICS.summary]: 6,
    });
    const metadata = await server.api.metadata(SAMPLE_METRICS.histogram);
    expect(
      metadata.status === 'success' && metadata.data[SAMPLE_METRICS.histogram]?.[0]?.type,
    ).toBe('histogram');
    const bad = await server.api.query('sum(');
    expect(bad).toMatchObject({ status: 'error', errorType: 'bad_data', httpStatus: 400 });
  }, 60_000);

  it('remote-writes to a second Prometheus, which then holds the same series and samples', async () => {
    const receiver = await prometheus({ scrapeSelf: false, enableRemoteWriteReceiver: true });
    const sender = await prometheus({
      scrapeSelf: false,
      scrapeTargets: [sampleJob()],
      remoteWrite: { url: receiver.remoteWriteUrl, headers: { 'X-Scope-OrgID': 'o2ts' } },
    });
    await sender.waitForSamples(SAMPLE_METRICS.counter, 6 * 4);
    await receiver.waitForSeries(SAMPLE_METRICS.counter, 6);

    const selector = `{job="sample"}`;
    const labelSets = async (p: PrometheusHandle) => {
      const answer = await p.api.series([selector]);
      if (answer.status !== 'success') throw new Error(answer.error);
      return answer.data.map((s) => JSON.stringify(s)).sort();
    };
    // The receiver lags the sender by a remote-write batch; a few seconds back both hold the
    // same raw samples and so answer every query alike.
    await expect
      .poll(
        async () => {
          const at = Date.now() / 1000 - 3;
          const raw = `${SAMPLE_METRICS.counter}[10s]`;
          const rate = `sum by (code) (rate(${SAMPLE_METRICS.counter}[5s]))`;
          const range = { start: at - 10, end: at, step: 1 };
          const expectedRaw = await sender.api.instant(raw, at);
          const expectedRate = await sender.api.range(rate, range);
          // Two empty answers would compare equal: make sure there is something to compare.
          const points = expectedRaw.resultType === 'matrix' ? expectedRaw.result : [];
          if (points.length !== 6 || points.some((s) => (s.values?.length ?? 0) < 5))
            return [`the sender holds too few samples yet: ${JSON.stringify(expectedRaw)}`];
          return [
            ...compareQueryResults(expectedRaw, await receiver.api.instant(raw, at)).differences,
            ...compareQueryResults(expectedRate, await receiver.api.range(rate, range)).differences,
          ];
        },
        { timeout: 30_000, interval: 1_000 },
      )
      .toEqual([]);
    expect(await labelSets(receiver)).toEqual(await labelSets(sender));
    expect((await labelSets(receiver)).length).toBeGreaterThan(20);
  }, 60_000);

  it('starts over backfilled samples at fixed past timestamps', async () => {
    // Two counters over the last hour at a 15 s step: +3 and +1 per step (0.2/s and 1/15 per s).
    const start = Math.floor(Date.now() / 60_000) * 60_000 - 3_600_000;
    const series = (code: string, per: number) => ({
      labels: { __name__: 'o2ts_backfill_total', code },
      samples: Array.from({ length: 240 }, (_, i): [number, number] => [
        start + i * 15_000,
        i * per,
      ]),
    });
    const server = await prometheus({
      scrapeSelf: false,
      backfill: openMetricsText([series('200', 3), series('500', 1)]),
    });
    const at = (start + 30 * 60_000) / 1000;
    expectSameQueryResult(
      {
        resultType: 'vector',
        result: [
          { metric: { code: '200' }, value: [at, '0.2'] },
          { metric: { code: '500' }, value: [at, String(1 / 15)] },
        ],
      },
      await server.api.instant('rate(o2ts_backfill_total[1m])', at),
    );
    const raw = await server.api.instant('o2ts_backfill_total{code="200"}', at);
    expect(raw).toEqual({
      resultType: 'vector',
      result: [
        { metric: { __name__: 'o2ts_backfill_total', code: '200' }, value: [at, String(120 * 3)] },
      ],
    });
  });

  it('promtool queries a Prometheus-compatible API, with Basic credentials when given', async () => {
    const server = await prometheus({ scrapeSelf: true });
    await server.waitForTargetsUp(1);
    const instant = await runPromtoolQuery({ server: server.url, expr: 'sum by (job) (up)' });
    expect(instant.stderr).toBe('');
    expect(JSON.parse(instant.stdout)).toEqual([
      { metric: { job: 'prometheus' }, value: [expect.any(Number), '1'] },
    ]);
    const now = Math.floor(Date.now() / 1000);
    const range = await runPromtoolQuery({
      server: server.url,
      expr: 'up',
      range: { start: now - 60, end: now + 2, step: '1s' },
    });
    expect(range.code).toBe(0);
    expect(JSON.parse(range.stdout)).toMatchObject([{ metric: { job: 'prometheus' } }]);
    const bad = await runPromtoolQuery({ server: server.url, expr: 'sum(' });
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/parse error/);

    const recorder = await startRequestRecorder();
    try {
      await runPromtoolQuery({
        server: `${recorder.url}/api/default/prometheus`,
        expr: 'up',
        basicAuth: { username: 'root@example.com', password: 'Complexpass#123' },
      });
      const [request] = await recorder.waitFor(() => true);
      expect(request!.path).toBe('/api/default/prometheus/api/v1/query');
      expect(request!.headers['authorization']).toBe(
        `Basic ${Buffer.from('root@example.com:Complexpass#123').toString('base64')}`,
      );
    } finally {
      await recorder.stop();
    }
  }, 60_000);
});
