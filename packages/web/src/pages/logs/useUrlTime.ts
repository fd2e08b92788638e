import { useCallback } from 'react';
import type { SetURLSearchParams } from 'react-router';
import { local } from '../../app/storage';
import { DEFAULT_PERIOD, periodMs } from '../../app/time-range';
import { zoneOf } from '../../components/DateTimePicker';
import type { TimeRange } from '../../components/DateTimePicker';

/**
 * The logs page's time state, all in the URL: `period` (relative) or `from`/`to` (µs, set by the
 * picker's Absolute tab or a histogram zoom; they win over the period), and `timezone` (also in
 * localStorage `timezone`, as O2 keeps it; the URL's wins, so a shared link shows its zone, #473).
 */
export function useUrlTime(params: URLSearchParams, setParams: SetURLSearchParams) {
  const period = params.get('period') ?? DEFAULT_PERIOD;
  const fromUs = Number(params.get('from') ?? Number.NaN);
  const toUs = Number(params.get('to') ?? Number.NaN);
  const absolute = Number.isFinite(fromUs) && Number.isFinite(toUs) && toUs > fromUs;
  const zoneChoice = params.get('timezone') ?? local.get('timezone') ?? 'browser';

  /** The range to search now: a relative one ends at this instant. */
  const range = useCallback(() => {
    if (absolute) return { start: fromUs, end: toUs };
    const end = Date.now() * 1000;
    return { start: end - periodMs(period) * 1000, end };
  }, [period, absolute, fromUs, toUs]);

  const timeRange: TimeRange = absolute
    ? { type: 'absolute', from: fromUs, to: toUs }
    : { type: 'relative', period };

  const setTimeRange = (picked: TimeRange) => {
    const next = new URLSearchParams(params);
    if (picked.type === 'relative') {
      next.set('period', picked.period);
      ['from', 'to'].forEach((k) => next.delete(k));
    } else {
      next.set('from', String(Math.round(picked.from)));
      next.set('to', String(Math.round(picked.to)));
    }
    setParams(next);
  };

  const setZone = (choice: string) => {
    const next = new URLSearchParams(params);
    if (choice === 'browser') {
      next.delete('timezone');
      local.remove('timezone');
    } else {
      next.set('timezone', choice);
      local.set('timezone', choice);
    }
    setParams(next, { replace: true });
  };

  return {
    period,
    absolute,
    fromUs,
    toUs,
    range,
    timeRange,
    setTimeRange,
    zoneChoice,
    timezone: zoneOf(zoneChoice),
    setZone,
  };
}
