import { AppError } from '@o2/errors';
import type { StoredNativeHistogram } from './native-histogram.js';

/**
 * The text stored in `NATIVE_HISTOGRAM_COLUMN`. Plain JSON cannot hold NaN or ±Inf, which a
 * histogram's `sum` (and a float histogram's counts) may be, so non-finite numbers are written
 * as the strings "NaN", "+Inf", "-Inf" and read back as numbers. No field of the shape is a
 * string that could be one of those.
 */
export function nativeHistogramToJson(histogram: StoredNativeHistogram): string {
  return JSON.stringify(histogram, (_key, value: unknown) => {
    if (typeof value !== 'number' || Number.isFinite(value)) return value;
    if (Number.isNaN(value)) return 'NaN';
    return value > 0 ? '+Inf' : '-Inf';
  });
}

const NON_FINITE: Record<string, number> = { NaN: NaN, '+Inf': Infinity, '-Inf': -Infinity };

/** Parses `NATIVE_HISTOGRAM_COLUMN` text written by `nativeHistogramToJson`. */
export function nativeHistogramFromJson(text: string): StoredNativeHistogram {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text, (_key, value: unknown) =>
      typeof value === 'string' && value in NON_FINITE ? NON_FINITE[value] : value,
    );
  } catch (cause) {
    throw AppError.internal('stored native histogram is not valid JSON', cause);
  }
  if (typeof parsed !== 'object' || parsed === null || !('schema' in parsed))
    throw AppError.internal('stored native histogram has no schema');
  return parsed as StoredNativeHistogram;
}
