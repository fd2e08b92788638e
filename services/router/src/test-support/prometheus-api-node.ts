import { afterAll, beforeAll, expect } from 'vitest';
import type { Ingester } from '@o2/ingester';
import { PromqlEngine, formatFloatPlain } from '@o2/promql';
import type { QueryResult, Labels } from '@o2/promql';
import { memorySource, sampleSeries } from './metric-samples.js';
import { ingestSeries, startMetricsNode } from './metrics-node.js';
import { call, makeDbDir, rootAuth } from './start-router.js';
import type { CallResult, StartedRouter } from './start-router.js';

export const MINUTE = 60_000;
/** Data from START for 30 minutes, 15 s apart; ends well before now (inside the ingest window). */
export const START = Math.floor((Date.now() - 45 * MINUTE) / MINUTE) * MINUTE;
export const SERIES = sampleSeries(START, 30);
export const EVAL = START + 25 * MINUTE;
export const MEMBER = { email: 'member@example.com', password: 'Memberpass#1' };

const labelsJson = (labels: Labels) =>
  Object.fromEntries(labels.list.map((l) => [l.name, l.value]));

/** The engine's answer in Prometheus's JSON, as the API must give it. */
export function expectedData(r: QueryResult): unknown {
  const point = (t: number, v: number) => [t / 1000, formatFloatPlain(v)];
  switch (r.resultType) {
    case 'vector':
      return {
        resultType: 'vector',
        result: r.result.map((s) => ({ metric: labelsJson(s.labels), value: point(s.t, s.v) })),
      };
    case 'matrix':
      return {
        resultType: 'matrix',
        result: r.result.map((s) => ({
          metric: labelsJson(s.labels),
          values: [...s.timestamps].map((t, i) => point(t, s.values[i]!)),
        })),
      };
    case 'scalar':
      return { resultType: 'scalar', result: point(r.result.t, r.result.v) };
    case 'string':
      return { resultType: 'string', result: [r.result.t / 1000, r.result.v] };
  }
}

export interface PrometheusApiNode {
  /** The engine over the same samples in memory: what every answer must equal. */
  readonly oracle: PromqlEngine;
  readonly o2: StartedRouter;
  /** A second node view over the same store and ingester, with tiny series/points limits. */
  readonly limited: StartedRouter;
  readonly ingester: Ingester;
  prom: (
    path: string,
    params?: Record<string, string | string[]>,
    auth?: string,
    url?: string,
  ) => Promise<CallResult>;
  /** The `data` of a successful Prometheus answer (asserts status 200 and `success`). */
  dataOf: (res: CallResult) => unknown;
}

/**
 * A single node holding SERIES in `default` (and one intruder series in `other`), a member user,
 * and a limited twin — started before the suite's tests and removed after them.
 */
export function usePrometheusApiNode(): PrometheusApiNode {
  let dir: { path: string; remove(): Promise<void> } | undefined;
  let started: { o2: StartedRouter; limited: StartedRouter; ingester: Ingester } | undefined;
  const running = () => {
    if (started === undefined) throw new Error('the node is not started yet');
    return started;
  };

  beforeAll(async () => {
    dir = await makeDbDir();
    const { o2, ingester } = await startMetricsNode(dir.path);
    await ingestSeries(ingester, 'default', SERIES);
    // Another org's series with the same name must never show up in `default`.
    await ingestSeries(ingester, 'other', [
      {
        name: 'http_requests_total',
        labels: { job: 'intruder' },
        samples: [{ t: EVAL - MINUTE, v: 1 }],
      },
    ]);
    const created = await call(o2.url, '/api/default/users', {
      auth: rootAuth(),
      json: { ...MEMBER, role: 'user' },
    });
    expect(created.status).toBe(200);
    const { o2: limited } = await startMetricsNode(
      dir.path,
      {
        ZO_METRICS_MAX_SERIES_RESPONSE: '2',
        ZO_METRICS_MAX_POINTS_PER_SERIES: '50',
        ZO_DATA_TMP_DIR: `${dir.path}/tmp2/`,
      },
      ingester,
    );
    started = { o2, limited, ingester };
  }, 60_000);

  afterAll(async () => {
    await started?.limited.close();
    await started?.o2.close();
    await dir?.remove();
  });

  return {
    oracle: new PromqlEngine(memorySource(SERIES)),
    get o2() {
      return running().o2;
    },
    get limited() {
      return running().limited;
    },
    get ingester() {
      return running().ingester;
    },
    prom: (path, params = {}, auth = rootAuth(), url = running().o2.url) => {
      const qs = new URLSearchParams();
      for (const [k, v] of Object.entries(params)) for (const x of [v].flat()) qs.append(k, x);
      return call(url, `/api/default/prometheus/api/v1/${path}?${qs.toString()}`, { auth });
    },
    dataOf: (res) => {
      expect(res.status, res.text).toBe(200);
      expect((res.body as { status: string }).status).toBe('success');
      return (res.body as { data: unknown }).data;
    },
  };
}
