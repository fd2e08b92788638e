import type { FloatHistogram } from '../histogram/histogram.js';
import { Labels } from '../labels/labels.js';
import { CompiledMatcher, matchesAll } from '../labels/matcher.js';
import type { Matcher } from '../labels/matcher.js';
import type { SelectRange, SeriesData, SeriesSource } from './series-source.js';

interface StoredSeries {
  labels: Labels;
  timestamps: Float64Array;
  values: Float64Array;
  stale: Uint8Array | undefined;
  /** Native histogram samples parallel to `timestamps`, when the series has any. */
  histograms: (FloatHistogram | undefined)[] | undefined;
}

/** One sample to load; `stale` marks a staleness marker, `h` a native histogram sample. */
export interface SampleInput {
  readonly t: number;
  readonly v: number;
  readonly stale?: boolean;
  readonly h?: FloatHistogram | undefined;
}

/** Series held in memory as typed arrays; `select` returns zero-copy views of the range. */
export class MemorySeriesSource implements SeriesSource {
  readonly #series = new Map<string, StoredSeries>();

  /** Adds samples to a series, merging with what it already holds (a later sample wins a tie). */
  add(labels: Labels | Record<string, string>, samples: readonly SampleInput[]): void {
    const ls = labels instanceof Labels ? labels : Labels.from(labels);
    const existing = this.#series.get(ls.key);
    const merged = new Map<number, SampleInput>();
    if (existing) {
      for (let i = 0; i < existing.timestamps.length; i++) {
        merged.set(existing.timestamps[i]!, {
          t: existing.timestamps[i]!,
          v: existing.values[i]!,
          stale: existing.stale?.[i] === 1,
          h: existing.histograms?.[i],
        });
      }
    }
    for (const s of samples) merged.set(s.t, s);
    const sorted = [...merged.values()].sort((a, b) => a.t - b.t);
    const hasStale = sorted.some((s) => s.stale);
    const hasHistograms = sorted.some((s) => s.h !== undefined);
    this.#series.set(ls.key, {
      labels: ls,
      timestamps: Float64Array.from(sorted, (s) => s.t),
      values: Float64Array.from(sorted, (s) => (s.h ? s.h.count : s.v)),
      stale: hasStale ? Uint8Array.from(sorted, (s) => (s.stale ? 1 : 0)) : undefined,
      histograms: hasHistograms ? sorted.map((s) => s.h) : undefined,
    });
  }

  /** Adds a whole series from typed arrays it takes ownership of (bulk loading, benchmarks). */
  addArrays(labels: Labels, timestamps: Float64Array, values: Float64Array): void {
    this.#series.set(labels.key, {
      labels,
      timestamps,
      values,
      stale: undefined,
      histograms: undefined,
    });
  }

  clear(): void {
    this.#series.clear();
  }

  get seriesCount(): number {
    return this.#series.size;
  }

  selectSync(matchers: readonly Matcher[], range: SelectRange): SeriesData[] {
    const compiled = matchers.map((m) => new CompiledMatcher(m));
    const out: SeriesData[] = [];
    for (const s of this.#series.values()) {
      if (!matchesAll(compiled, s.labels)) continue;
      const lo = lowerBound(s.timestamps, range.startMs);
      const hi = lowerBound(s.timestamps, range.endMs + 1);
      if (lo >= hi) continue;
      const histograms = s.histograms?.slice(lo, hi);
      out.push({
        labels: s.labels,
        timestamps: s.timestamps.subarray(lo, hi),
        values: s.values.subarray(lo, hi),
        stale: s.stale?.subarray(lo, hi),
        histograms: histograms?.some((h) => h !== undefined) ? histograms : undefined,
      });
    }
    return out;
  }

  select(matchers: readonly Matcher[], range: SelectRange): Promise<readonly SeriesData[]> {
    return Promise.resolve(this.selectSync(matchers, range));
  }
}

/** First index whose value is >= target. */
export function lowerBound(arr: Float64Array, target: number): number {
  let lo = 0;
  let hi = arr.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (arr[mid]! < target) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
