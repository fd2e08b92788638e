import { describe, expect, it } from 'vitest';
import { parsePeriod, periodLabel, periodMs } from './time-range';

describe("O2's relative periods", () => {
  it('reads the URL values and measures them', () => {
    expect(parsePeriod('15m')).toEqual({ value: 15, unit: 'm' });
    expect(parsePeriod('6w')).toEqual({ value: 6, unit: 'w' });
    expect(parsePeriod('0m')).toBeUndefined();
    expect(parsePeriod('1y')).toBeUndefined();
    expect(periodMs('1h')).toBe(3_600_000);
    expect(periodMs('2M')).toBe(60 * 86_400_000);
    expect(periodMs('nonsense')).toBe(15 * 60_000);
  });

  it('names them as the picker button does', () => {
    expect(periodLabel('15m')).toBe('Past 15 Minutes');
    expect(periodLabel('1h')).toBe('Past 1 Hour');
    expect(periodLabel('45s')).toBe('Past 45 Seconds');
  });
});
