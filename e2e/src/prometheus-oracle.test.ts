import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  PrometheusApiClient,
  SAMPLE_METRICS,
  compareQueryResults,
  makeTempDir,
  startPrometheus,
  startSampleExporter,
} from '@o2/testing';
import type { PrometheusHandle, SampleExporter, TempDir } from '@o2/testing';
import { basicAuth, ROOT, rootUserEnv, startHealthyProduct } from './product-process.js';
import type { ProductProcess } from './product-process.js';

// Prometheus is the oracle (issue 11): a real Prometheus scrapes the sample exporter every
// second and remote-writes the same stream to O2TS and to a second real Prometheus (a
// remote-write receiver). Every expression below then runs as an instant and as a range query
// against O2TS's Prometheus API and against the receiver; the answers must match within float
// tolerance. Nothing is computed by the test itself: both sides answer from what they received.

const C = SAMPLE_METRICS.counter;
const G = SAMPLE_METRICS.gauge;
const H = SAMPLE_METRICS.histogram;
const S = SAMPLE_METRICS.summary;

/** ≥ 30 expressions over every PromQL feature family the issue names. */
const ORACLE_EXPRESSIONS = [
  C,
  `${C}{code=~"2.."}`,
  `{__name__=~"o2ts_sample_temp.*", room!="lab"}`,
  `up{job="sample"}`,
  `rate(${C}[10s])`,
  `irate(${C}[5s])`,
  `increase(${C}[20s])`,
  `sum by (code) (rate(${C}[10s]))`,
  `sum without (method) (increase(${C}[20s]))`,
  `topk(2, rate(${C}[10s]))`,
  `bottomk(1, ${G})`,
  `avg(${G})`,
  `stddev(${G})`,
  `count(${C})`,
  `quantile(0.5, ${G})`,
  `sort_desc(sum by (room) (${G}))`,
  `max by (room) (max_over_time(${G}[20s]))`,
  `min_over_time(${G}[15s])`,
  `avg_over_time(${G}[15s])`,
  `quantile_over_time(0.9, ${G}[20s])`,
  `last_over_time(${G}[10s])`,
  `histogram_quantile(0.9, sum by (le) (rate(${H}_bucket[20s])))`,
  `histogram_quantile(0.5, rate(${H}_bucket[20s]))`,
  `rate(${H}_sum[20s]) / rate(${H}_count[20s])`,
  `increase(${H}_count[20s])`,
  `${S}{quantile="0.9"}`,
  `${C} offset 10s`,
  `rate(${C}[10s] offset 5s)`,
  `absent(o2ts_no_such_metric)`,
  `absent(${C})`,
  `label_replace(${G}, "place", "$1", "room", "(.*)-room")`,
  `label_join(${C}, "mc", "-", "method", "code")`,
  `predict_linear(${G}[20s], 60)`,
  `deriv(${G}[20s])`,
  `delta(${G}[20s])`,
  `changes(${G}[20s])`,
  `resets(${C}[20s])`,
  `max_over_time(rate(${C}[5s])[20s:2s])`,
  `rate(${C}[10s]) / on (method) group_left sum by (method) (rate(${C}[10s]))`,
  `${C} > bool on (method, code) ${C} offset 5s`,
  `${G} > 20`,
  `clamp_max(${G}, 20)`,
  `abs(-${G})`,
  `scalar(sum(${G})) * 2`,
  `sum(${C}) + vector(1)`,
];

describe('PromQL against Prometheus as the oracle (remote write into both)', () => {
  let dataDir: TempDir;
  let product: ProductProcess;
  let exporter: SampleExporter;
  let receiver: PrometheusHandle;
  let sender: PrometheusHandle;
  let o2: PrometheusApiClient;
  /** The evaluation time: a moment both sides have received everything before. */
  let at: number;

  beforeAll(async () => {
    dataDir = await makeTempDir('prometheus-oracle');
    product = await startHealthyProduct('standalone', {
      ZO_DATA_DIR: `${dataDir.path}/`,
      RUST_LOG: 'warn',
      ...rootUserEnv(),
    });
    o2 = new PrometheusApiClient(`${product.url}/api/default/prometheus`, {
      headers: { authorization: basicAuth(ROOT.email, ROOT.password) },
    });
    exporter = await startSampleExporter();
    receiver = await startPrometheus({ scrapeSelf: false, enableRemoteWriteReceiver: true });
    sender = await startPrometheus({
      scrapeSelf: false,
      scrapeTargets: [{ job: 'sample', targets: [exporter.target] }],
      remoteWrite: [
        { url: receiver.remoteWriteUrl },
        {
          url: `${product.url}/api/default/prometheus/api/v1/write`,
          basicAuth: { username: ROOT.email, password: ROOT.password },
        },
      ],
    });
    // 40 s of one-second scrapes: enough for 20 s ranges and 20 s subqueries with history.
    await sender.waitForSamples(C, 6 * 40, { timeoutMs: 90_000 });
    // Half a second past a whole one: Debian's Prometheus 2.42 selects ranges left-closed
    // [t - r, t], O2TS (like Prometheus 3, whose corpus it passes) left-open (t - r, t]. At
    // x.5 s no window edge meets a subquery step (whole multiples of its step), and a scrape
    // sample only if its timestamp ends in exactly 500 ms.
    at = Math.floor(Date.now() / 1000) - 5 + 0.5;
    // Both receivers hold every sample up to `at` once each reports a newer one for all series.
    const caughtUp = async (api: PrometheusApiClient) => {
      const answer = await api.query(`min(timestamp(${C})) >= ${Math.ceil(at) + 1}`);
      return answer.status === 'success' && answer.data.result.length > 0;
    };
    for (const [name, api] of [
      ['the receiving Prometheus', receiver.api],
      ['O2TS', o2],
    ] as const) {
      const deadline = Date.now() + 30_000;
      while (!(await caughtUp(api))) {
        if (Date.now() > deadline) throw new Error(`${name} never caught up to ${at}`);
        await new Promise((r) => setTimeout(r, 500));
      }
    }
  }, 180_000);

  afterAll(async () => {
    await sender?.stop();
    await receiver?.stop();
    await exporter?.stop();
    await product?.stop();
    await dataDir?.remove();
  });

  function differences(
    expr: string,
    expected: Awaited<ReturnType<PrometheusApiClient['query']>>,
    actual: Awaited<ReturnType<PrometheusApiClient['query']>>,
  ): string[] {
    if (expected.status !== 'success')
      return [`${expr}: the oracle failed: ${JSON.stringify(expected)}`];
    if (actual.status !== 'success') return [`${expr}: O2TS failed: ${JSON.stringify(actual)}`];
    return compareQueryResults(expected.data, actual.data, {
      relTolerance: 1e-9,
    }).differences.map((d) => `${expr}: ${d}`);
  }

  it(`answers ${ORACLE_EXPRESSIONS.length} instant queries as Prometheus does`, async () => {
    expect(ORACLE_EXPRESSIONS.length).toBeGreaterThanOrEqual(30);
    const problems: string[] = [];
    let nonEmpty = 0;
    for (const expr of ORACLE_EXPRESSIONS) {
      const expected = await receiver.api.query(expr, at);
      if (expected.status === 'success' && expected.data.result.length > 0) nonEmpty++;
      problems.push(...differences(expr, expected, await o2.query(expr, at)));
    }
    expect(problems).toEqual([]);
    // Two empty answers agree: most of the expressions must have returned data.
    expect(nonEmpty).toBeGreaterThanOrEqual(ORACLE_EXPRESSIONS.length - 3);
  }, 120_000);

  it(`answers the same expressions as range queries as Prometheus does`, async () => {
    const range = { start: at - 20, end: at, step: 2 };
    const problems: string[] = [];
    for (const expr of ORACLE_EXPRESSIONS) {
      problems.push(
        ...differences(
          expr,
          await receiver.api.queryRange(expr, range),
          await o2.queryRange(expr, range),
        ),
      );
    }
    expect(problems).toEqual([]);
  }, 120_000);

  it('lists the same series', async () => {
    const window = { start: at - 30, end: at };
    const sorted = (answer: Awaited<ReturnType<PrometheusApiClient['series']>>) =>
      answer.status === 'success' ? answer.data.map((s) => JSON.stringify(s)).sort() : answer;
    expect(sorted(await o2.series([`{job="sample"}`], window))).toEqual(
      sorted(await receiver.api.series([`{job="sample"}`], window)),
    );
  }, 60_000);
});
