import { AppError } from '@o2/errors';

/**
 * O2's "compare with past" (`query_condition.multi_time_range`, SQL alerts): besides the current
 * window [run − period, run) the alert's SQL runs once more for each `{offSet}` over the same
 * window shifted back by the offset. O2 hands the per-window results to the alert's VRL as an
 * array of arrays (`#ResultArray#`) and, without one, the trigger counts the rows of all windows
 * together, current window first, then the past windows from the most recent to the oldest. VRL
 * is refused in our alerts, so the second form is the one evaluated.
 */

/** Seconds per unit of an offset such as `15m`, `1h`, `1d`, `1w` (O2's units; `M` = 30 days). */
const UNIT_SECONDS: Readonly<Record<string, number>> = {
  s: 1,
  m: 60,
  h: 3_600,
  d: 86_400,
  w: 604_800,
  M: 2_592_000,
};

const OFFSET = /^\s*(\d{1,6})\s*([smhdwM])\s*$/;

/** An offset string in seconds; throws INVALID_ARGUMENT naming it when it is not one. */
export function offsetSeconds(offset: string): number {
  const m = OFFSET.exec(offset);
  const value = m === null ? 0 : Number(m[1]);
  if (m === null || value < 1)
    throw AppError.invalidArgument(
      `multi_time_range offSet "${offset}" must be a positive number with a unit s, m, h, d, w or M`,
    );
  return value * UNIT_SECONDS[m[2]!]!;
}

export interface TimeWindow {
  startUs: number;
  endUs: number;
  /** The offSet this window is shifted back by ('' for the current window). */
  offset: string;
}

/**
 * The windows one run queries: the current one, then one per offset shifted back, ordered from
 * the most recent to the oldest (equal offsets are queried once). `minuteMs` is the length of an
 * alert minute, so offsets scale with the period in tests that shorten the minute.
 */
export function comparisonWindows(
  current: { startUs: number; endUs: number },
  offsets: ReadonlyArray<{ offSet: string }>,
  minuteMs = 60_000,
): TimeWindow[] {
  const shifts = new Map<number, string>();
  for (const { offSet } of offsets) {
    const shiftUs = Math.round((offsetSeconds(offSet) * minuteMs * 1000) / 60);
    if (!shifts.has(shiftUs)) shifts.set(shiftUs, offSet);
  }
  const past = [...shifts.entries()]
    .sort(([a], [b]) => a - b)
    .map(([shiftUs, offset]) => ({
      startUs: current.startUs - shiftUs,
      endUs: current.endUs - shiftUs,
      offset,
    }));
  return [{ ...current, offset: '' }, ...past];
}

/** Whether this alert's comparison windows are evaluated (SQL alerts with offsets only, as O2). */
export function comparesWindows(alert: {
  is_real_time: boolean;
  query_condition: { type: string; multi_time_range: ReadonlyArray<{ offSet: string }> };
}): boolean {
  return (
    !alert.is_real_time &&
    alert.query_condition.type === 'sql' &&
    alert.query_condition.multi_time_range.length > 0
  );
}

/** The rows of every window as one list, in window order (what the threshold counts). */
export function combineWindowRows<T>(perWindow: ReadonlyArray<ReadonlyArray<T>>): T[] {
  return perWindow.flat();
}
