import { describe, expect, it } from 'vitest';
import { AppError } from '@o2/errors';
import { PromqlEngine } from './engine.js';
import { MemorySeriesSource } from '../storage/memory-series-source.js';

function source(): MemorySeriesSource {
  const src = new MemorySeriesSource();
  for (const [instance, step] of [
    ['a', 10],
    ['b', 20],
  ] as const) {
    src.add(
      { __name__: 'req_total', job: 'api', instance },
      Array.from({ length: 61 }, (_, i) => ({ t: i * 15_000, v: i * step })),
    );
  }
  src.add({ __name__: 'gauge' }, [
    { t: 0, v: 1 },
    { t: 60_000, v: 2 },
    { t: 120_000, v: NaN, stale: true },
  ]);
  return src;
}

describe('PromqlEngine', () => {
  it('evaluates rate over a range with extrapolation and aggregation', async () => {
    const engine = new PromqlEngine(source());
    const res = await engine.rangeQuery(
      'sum by (job) (rate(req_total[1m]))',
      300_000,
      600_000,
      60_000,
    );
    expect(res.resultType).toBe('matrix');
    if (res.resultType !== 'matrix') return;
    expect(res.result).toHaveLength(1);
    expect(res.result[0]!.labels.toRecord()).toEqual({ job: 'api' });
    expect(Array.from(res.result[0]!.values)).toEqual([2, 2, 2, 2, 2, 2]);
    expect(Array.from(res.result[0]!.timestamps)).toEqual([
      300_000, 360_000, 420_000, 480_000, 540_000, 600_000,
    ]);
  });

  it('honours staleness markers and the lookback window', async () => {
    const engine = new PromqlEngine(source());
    const at = async (t: number): Promise<number[]> => {
      const r = await engine.instantQuery('gauge', t);
      return r.resultType === 'vector' ? r.result.map((s) => s.v) : [];
    };
    expect(await at(90_000)).toEqual([2]);
    expect(await at(120_000)).toEqual([]);
    const fresh = new PromqlEngine(source(), { lookbackDeltaMs: 30_000 });
    const r = await fresh.instantQuery('gauge', 40_000);
    expect(r.resultType === 'vector' && r.result.length).toBe(0);
  });

  it('rejects many-to-many matching', async () => {
    const engine = new PromqlEngine(source());
    await expect(engine.instantQuery('req_total + on(job) req_total', 60_000)).rejects.toThrow(
      /many-to-many matching not allowed/,
    );
  });

  it('reports scalar results and annotations', async () => {
    const engine = new PromqlEngine(source());
    const r = await engine.instantQuery('scalar(sum(req_total)) * 2', 60_000);
    expect(r).toMatchObject({ resultType: 'scalar', result: { t: 60_000, v: 240 } });
    const q = await engine.instantQuery('quantile(2, req_total)', 60_000);
    expect(q.warnings).toEqual(['PromQL warning: quantile value should be between 0 and 1, got 2']);
    const g = await engine.instantQuery('rate(gauge[5m])', 60_000);
    expect(g.infos[0]).toContain('metric might not be a counter');
  });

  it('validates range query parameters', async () => {
    const engine = new PromqlEngine(source());
    await expect(engine.rangeQuery('gauge', 0, 1000, 0)).rejects.toBeInstanceOf(AppError);
    await expect(engine.rangeQuery('gauge', 1000, 0, 1)).rejects.toThrow(
      'end timestamp must not be before start time',
    );
  });
});
