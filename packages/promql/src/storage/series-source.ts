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
  /** True when the series holds native histogram samples (not supported by this engine). */
  readonly histograms?: boolean | undefined;
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
