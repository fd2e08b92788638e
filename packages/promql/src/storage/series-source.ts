import type { FloatHistogram } from '../histogram/histogram.js';
import type { Labels } from '../labels/labels.js';
import type { Matcher } from '../labels/matcher.js';

/**
 * One series' samples in a time range, as parallel typed arrays sorted by time. Staleness
 * markers (Prometheus's special NaN) are flagged in `stale` instead of being encoded in the value,
 * because NaN payloads do not survive JavaScript arithmetic.
 */
export interface SeriesData {
  readonly labels: Labels;
  /** Sample times in ms since the epoch, ascending, no duplicates. */
  readonly timestamps: Float64Array;
  readonly values: Float64Array;
  /** 1 where the sample is a staleness marker; absent when the range has none. */
  readonly stale?: Uint8Array | undefined;
  /**
   * Native histogram samples, parallel to `timestamps`: a histogram where the sample is one
   * (its entry in `values` is then ignored), undefined where it is a float. Absent when the
   * range holds floats only, which keeps the float path free of per-sample checks.
   */
  readonly histograms?: readonly (FloatHistogram | undefined)[] | undefined;
}

/** Inclusive time range, in ms, whose samples a selector needs. */
export interface SelectRange {
  readonly startMs: number;
  readonly endMs: number;
}

/**
 * Where the engine reads series from. A storage-backed implementation reads metric streams; tests
 * and the conformance runner use `MemorySeriesSource`.
 */
export interface SeriesSource {
  select(matchers: readonly Matcher[], range: SelectRange): Promise<readonly SeriesData[]>;
}
