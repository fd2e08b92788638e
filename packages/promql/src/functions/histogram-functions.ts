import type { Call } from '../ast/ast.js';
import type { Evaluator } from '../eval/evaluator.js';
import { SeriesBuilder } from '../eval/series-builder.js';
import type { StepSeries } from '../eval/values.js';
import type { FloatHistogram } from '../histogram/histogram.js';
import { nativeStdvar } from '../histogram/histogram-stats.js';
import { METRIC_NAME } from '../labels/labels.js';

/** A float computed from each native histogram sample, one output per series without name. */
export function perHistogram(
  input: readonly StepSeries[],
  n: number,
  fn: (h: FloatHistogram, step: number) => number,
): StepSeries[] {
  const builder = new SeriesBuilder(n);
  for (const s of input) {
    if (!s.hist) continue;
    const labels = s.labels.dropName();
    for (let i = 0; i < n; i++) {
      const h = s.hist[i];
      if (h !== undefined && s.present[i] === 1) builder.set(labels, i, fn(h, i));
    }
  }
  return builder.result();
}

const STATS: ReadonlyMap<string, (h: FloatHistogram) => number> = new Map([
  ['histogram_count', (h: FloatHistogram) => h.count],
  ['histogram_sum', (h: FloatHistogram) => h.sum],
  ['histogram_avg', (h: FloatHistogram) => h.sum / h.count],
  ['histogram_stdvar', nativeStdvar],
  ['histogram_stddev', (h: FloatHistogram) => Math.sqrt(nativeStdvar(h))],
]);

/** histogram_count/sum/avg/stddev/stdvar: defined on native histograms, floats are skipped. */
export function histogramStat(e: Call, ev: Evaluator): StepSeries[] {
  const fn = STATS.get(e.func)!;
  return perHistogram(ev.vector(e.args[0]!), ev.ctx.n, fn);
}

/** Float views of the series that have float samples (the classic-bucket candidates). */
export function classicCandidates(input: readonly StepSeries[]): StepSeries[] {
  const out: StepSeries[] = [];
  for (const s of input) {
    if (!s.hist) {
      out.push(s);
      continue;
    }
    const present = s.present.slice();
    for (let i = 0; i < present.length; i++) if (s.hist[i] !== undefined) present[i] = 0;
    if (present.includes(1)) out.push({ labels: s.labels, values: s.values, present });
  }
  return out;
}

/**
 * Joins classic-bucket and native results. Where both produce the same output series at a step,
 * neither is kept and Prometheus's "mix of classic and native histograms" warning is raised.
 */
export function mergeClassicNative(
  classic: StepSeries[],
  native: StepSeries[],
  input: readonly StepSeries[],
  ev: Evaluator,
): StepSeries[] {
  if (native.length === 0) return classic;
  const byKey = new Map(classic.map((s) => [s.labels.key, s]));
  for (const s of native) {
    const c = byKey.get(s.labels.key);
    if (!c) {
      byKey.set(s.labels.key, s);
      continue;
    }
    for (let i = 0; i < s.present.length; i++) {
      if (s.present[i] !== 1 || c.present[i] !== 1) {
        if (s.present[i] === 1) {
          c.values[i] = s.values[i]!;
          c.present[i] = 1;
        }
        continue;
      }
      c.present[i] = 0;
      const name =
        input.find((x) => x.labels.dropName().key === s.labels.key)?.labels.get(METRIC_NAME) ?? '';
      ev.ctx.annotations.warn(
        `vector contains a mix of classic and native histograms for metric name ${JSON.stringify(name)}`,
      );
    }
  }
  return [...byKey.values()].filter((s) => s.present.includes(1));
}
