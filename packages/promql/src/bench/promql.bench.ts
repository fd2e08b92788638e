import { PromqlEngine } from '../eval/engine.js';
import { Labels } from '../labels/labels.js';
import { MemorySeriesSource } from '../storage/memory-series-source.js';

const DAY_MS = 24 * 3600_000;
const SCRAPE_MS = 15_000;
const STEP_MS = 60_000;
const SERIES = 1000;
const RUNS = 9;
const LE = ['0.005', '0.01', '0.025', '0.05', '0.1', '0.25', '0.5', '1', '2.5', '+Inf'];

/** Deterministic pseudo-random numbers so every run measures the same data. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function buildSource(): MemorySeriesSource {
  const src = new MemorySeriesSource();
  const n = DAY_MS / SCRAPE_MS + 1;
  const timestamps = Float64Array.from({ length: n }, (_, i) => i * SCRAPE_MS);
  const rand = rng(42);
  for (let s = 0; s < SERIES; s++) {
    const values = new Float64Array(n);
    let v = 0;
    for (let i = 0; i < n; i++) {
      v += Math.floor(rand() * 10);
      if (rand() < 0.0005) v = 0; // occasional counter reset
      values[i] = v;
    }
    const labels = Labels.from({ __name__: 'x', job: `job-${s % 10}`, instance: `i-${s}` });
    src.addArrays(labels, timestamps, values);
  }
  for (let inst = 0; inst < SERIES / LE.length; inst++) {
    const base = new Float64Array(n);
    let total = 0;
    for (let i = 0; i < n; i++) {
      total += Math.floor(rand() * 20);
      base[i] = total;
    }
    LE.forEach((le, b) => {
      const share = (b + 1) / LE.length;
      const values = base.map((x) => Math.floor(x * share));
      const labels = Labels.from({
        __name__: 'h_bucket',
        job: `job-${inst % 10}`,
        instance: `i-${inst}`,
        le,
      });
      src.addArrays(labels, timestamps, values);
    });
  }
  return src;
}

async function p50(engine: PromqlEngine, query: string): Promise<{ p50: number; series: number }> {
  const times: number[] = [];
  let series = 0;
  // Two unmeasured runs let the JIT settle, so p50 reflects steady-state evaluation.
  for (let r = 0; r < 2; r++) await engine.rangeQuery(query, 0, DAY_MS, STEP_MS);
  for (let r = 0; r < RUNS; r++) {
    const t0 = performance.now();
    const res = await engine.rangeQuery(query, 0, DAY_MS, STEP_MS);
    times.push(performance.now() - t0);
    series = res.resultType === 'matrix' ? res.result.length : 0;
  }
  times.sort((a, b) => a - b);
  return { p50: times[Math.floor(times.length / 2)]!, series };
}

const t0 = performance.now();
const source = buildSource();
console.log(
  `loaded ${source.seriesCount} series x ${DAY_MS / SCRAPE_MS + 1} samples in ${(performance.now() - t0).toFixed(0)} ms`,
);
const engine = new PromqlEngine(source);
for (const query of [
  'sum by (job) (rate(x[5m]))',
  'histogram_quantile(0.99, sum by (le) (rate(h_bucket[5m])))',
]) {
  const { p50: ms, series } = await p50(engine, query);
  console.log(
    `${query}: p50 ${ms.toFixed(1)} ms over ${RUNS} runs (1 day, step 60s, ${series} result series)`,
  );
}
