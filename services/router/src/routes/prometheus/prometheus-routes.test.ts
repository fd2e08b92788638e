import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PromAnswer, PromqlService } from '@o2/domain';
import { call, makeDbDir, rootAuth, startRouter } from '../../test-support/start-router.js';
import type { StartedRouter } from '../../test-support/start-router.js';

/** A PromqlService that answers with the request it got, to see what the route parsed. */
class EchoPromql implements PromqlService {
  private echo = (data: unknown): Promise<PromAnswer> => Promise.resolve({ data });
  query = (org: string, q: unknown) => this.echo({ org, q });
  queryRange = (org: string, q: unknown) => this.echo({ org, q });
  series = (org: string, q: unknown) => this.echo({ org, q });
  labels = (org: string, q: unknown) => this.echo({ org, q });
  labelValues = (org: string, label: string, q: unknown) => this.echo({ org, label, q });
  metadata = (org: string, q: unknown) => this.echo({ org, q });
  exemplars = (org: string, q: unknown) => this.echo({ org, q });
  formatQuery = (query: string) => this.echo(query);
}

describe('Prometheus API routes: parameters and availability', () => {
  let dir: { path: string; remove(): Promise<void> };
  let bare: StartedRouter;
  let echo: StartedRouter;

  beforeAll(async () => {
    dir = await makeDbDir();
    bare = await startRouter(dir.path);
    echo = await startRouter(dir.path, {
      deps: { promql: new EchoPromql() },
      env: { ZO_DATA_TMP_DIR: `${dir.path}/tmp2/` },
    });
  });
  afterAll(async () => {
    await echo?.close();
    await bare?.close();
    await dir?.remove();
  });

  it('answers 503 unavailable in Prometheus shape without a querier, buildinfo still', async () => {
    const res = await call(bare.url, '/api/default/prometheus/api/v1/query?query=up', {
      auth: rootAuth(),
    });
    expect([res.status, res.body]).toEqual([
      503,
      { status: 'error', errorType: 'unavailable', error: 'No querier is available' },
    ]);
    const info = await call(bare.url, '/api/default/prometheus/api/v1/status/buildinfo', {
      auth: rootAuth(),
    });
    expect(info.status).toBe(200);
  });

  it('checks parameters before asking for a querier', async () => {
    const res = await call(bare.url, '/api/default/prometheus/api/v1/query?query=up&time=x', {
      auth: rootAuth(),
    });
    expect([res.status, (res.body as { errorType: string }).errorType]).toEqual([400, 'bad_data']);
  });

  it('reads form bodies (also without a Content-Type) before the query string', async () => {
    const res = await call(
      echo.url,
      '/api/default/prometheus/api/v1/query_range?query=ignored&step=1',
      {
        auth: rootAuth(),
        // Bytes: fetch sends them without a Content-Type (a string would be text/plain).
        body: new TextEncoder().encode(
          'query=sum(up)&start=2026-01-01T00:00:00Z&end=1767225660.5&step=15s&timeout=1m30s&lookback_delta=2m',
        ),
      },
    );
    expect(res.body).toEqual({
      status: 'success',
      data: {
        org: 'default',
        q: {
          query: 'sum(up)',
          startMs: 1767225600000,
          endMs: 1767225660500,
          stepMs: 15000,
          timeoutMs: 90000,
          lookbackDeltaMs: 120000,
        },
      },
    });
    const series = await call(echo.url, '/api/default/prometheus/api/v1/series?match[]=a&end=100', {
      auth: rootAuth(),
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'match[]=b&match[]=c&limit=5',
    });
    expect((series.body as { data: unknown }).data).toEqual({
      org: 'default',
      q: { matchers: ['b', 'c', 'a'], startMs: 100_000 - 86_400_000, endMs: 100_000, limit: 5 },
    });
  });
});
