import { AppError } from '@o2/errors';
import type { Labels } from '../labels/labels.js';
import type { FloatHistogram } from '../histogram/histogram.js';
import { newStepSeries, setHist } from './values.js';
import type { StepSeries } from './values.js';

/**
 * Collects output samples by label set. Two samples for the same labels at the same step is the
 * error Prometheus reports as "vector cannot contain metrics with the same labelset".
 */
export class SeriesBuilder {
  readonly #byKey = new Map<string, StepSeries>();

  constructor(private readonly n: number) {}

  series(labels: Labels): StepSeries {
    let s = this.#byKey.get(labels.key);
    if (!s) {
      s = newStepSeries(labels, this.n);
      this.#byKey.set(labels.key, s);
    }
    return s;
  }

  set(labels: Labels, step: number, value: number, h?: FloatHistogram): void {
    const s = this.series(labels);
    if (s.present[step] === 1) throw duplicateLabelset();
    s.values[step] = value;
    s.present[step] = 1;
    if (h) setHist(s, step, h);
  }

  /** Copies every present step of `src` into the output series for `labels`. */
  merge(labels: Labels, src: StepSeries): void {
    const s = this.series(labels);
    if (s === src) return;
    for (let i = 0; i < this.n; i++) {
      if (src.present[i] !== 1) continue;
      if (s.present[i] === 1) throw duplicateLabelset();
      s.values[i] = src.values[i]!;
      s.present[i] = 1;
      if (src.hist) setHist(s, i, src.hist[i]);
    }
  }

  result(): StepSeries[] {
    return [...this.#byKey.values()].filter((s) => s.present.includes(1));
  }
}

export function duplicateLabelset(): AppError {
  return new AppError('UNPROCESSABLE', 'vector cannot contain metrics with the same labelset');
}

export function executionError(message: string, cause?: unknown): AppError {
  return new AppError('UNPROCESSABLE', message, cause === undefined ? {} : { cause });
}
