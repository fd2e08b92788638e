import { describe, expect, it } from 'vitest';
import { AppError } from '@o2/errors';
import { alertSchema, checkAlert } from './alert-model.js';
import {
  combineWindowRows,
  comparesWindows,
  comparisonWindows,
  offsetSeconds,
} from './time-windows.js';

describe('multi_time_range windows', () => {
  it('reads O2 offsets and refuses anything else', () => {
    expect(offsetSeconds('15m')).toBe(900);
    expect(offsetSeconds('1h')).toBe(3_600);
    expect(offsetSeconds('4d')).toBe(345_600);
    expect(offsetSeconds('1w')).toBe(604_800);
    expect(offsetSeconds('1M')).toBe(2_592_000);
    for (const bad of ['', '15', 'm', '0m', '-5m', '1y', '1.5h', '15 minutes'])
      expect(() => offsetSeconds(bad), bad).toThrow(AppError);
  });

  it('shifts the current window back by each offset, most recent first, once each', () => {
    const minute = 60_000_000; // µs
    const current = { startUs: 100 * minute, endUs: 110 * minute };
    const windows = comparisonWindows(current, [
      { offSet: '1h' },
      { offSet: '15m' },
      { offSet: '60m' },
    ]);
    expect(windows).toEqual([
      { startUs: 100 * minute, endUs: 110 * minute, offset: '' },
      { startUs: 85 * minute, endUs: 95 * minute, offset: '15m' },
      { startUs: 40 * minute, endUs: 50 * minute, offset: '1h' },
    ]);
    // A shortened alert minute (2 s) shortens the offsets with it.
    const fast = comparisonWindows({ startUs: 0, endUs: 2_000_000 }, [{ offSet: '15m' }], 2_000);
    expect(fast[1]).toEqual({ startUs: -30_000_000, endUs: -28_000_000, offset: '15m' });
  });

  it('applies to scheduled SQL alerts only and counts every window’s rows together', () => {
    const sql = { type: 'sql', multi_time_range: [{ offSet: '1d' }] };
    expect(comparesWindows({ is_real_time: false, query_condition: sql })).toBe(true);
    expect(comparesWindows({ is_real_time: true, query_condition: sql })).toBe(false);
    expect(
      comparesWindows({ is_real_time: false, query_condition: { ...sql, type: 'custom' } }),
    ).toBe(false);
    expect(
      comparesWindows({ is_real_time: false, query_condition: { ...sql, multi_time_range: [] } }),
    ).toBe(false);
    expect(combineWindowRows([[{ n: 3 }], [], [{ n: 5 }, { n: 1 }]])).toEqual([
      { n: 3 },
      { n: 5 },
      { n: 1 },
    ]);
  });

  it('refuses a bad offset when the alert is saved', () => {
    const alert = alertSchema.parse({
      name: 'cmp',
      stream_name: 's',
      destinations: ['d'],
      query_condition: { type: 'sql', sql: 'SELECT 1', multi_time_range: [{ offSet: 'soon' }] },
    });
    expect(() => checkAlert(alert)).toThrow(/offSet "soon"/);
    alert.query_condition.multi_time_range = [{ offSet: '30m' }];
    expect(() => checkAlert(alert)).not.toThrow();
  });
});
