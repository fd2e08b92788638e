import { describe, expect, it } from 'vitest';
import { nextCronTime, nextRunTime, parseCron } from './schedule.js';

const at = (iso: string) => Date.parse(iso);

describe('schedule', () => {
  it('runs every frequency minutes, aligned, and never in the past', () => {
    const t = {
      frequency: 5,
      frequency_type: 'minutes',
      cron: '',
      timezone: 'UTC',
      align_time: true,
    } as const;
    const now = at('2026-01-01T10:02:30Z');
    expect(nextRunTime(t, now, 60_000)).toBe(at('2026-01-01T10:05:00Z'));
    expect(nextRunTime(t, now, 60_000, at('2026-01-01T10:00:00Z'))).toBe(
      at('2026-01-01T10:05:00Z'),
    );
    // After downtime: from now, not every missed period.
    expect(nextRunTime(t, now, 60_000, at('2026-01-01T08:00:00Z'))).toBe(
      at('2026-01-01T10:05:00Z'),
    );
    expect(nextRunTime({ ...t, align_time: false }, now, 60_000)).toBe(now);
    // A test minute of one second.
    expect(nextRunTime({ ...t, frequency: 2 }, 10_500, 1_000, 10_000)).toBe(12_000);
  });

  it('follows cron expressions in a time zone', () => {
    const daily9 = parseCron('0 9 * * *', 'Europe/Berlin');
    expect(nextCronTime(daily9, at('2026-01-01T10:00:00Z'))).toBe(at('2026-01-02T08:00:00Z'));
    // Summer time: 09:00 Berlin is 07:00 UTC.
    expect(nextCronTime(daily9, at('2026-07-01T00:00:00Z'))).toBe(at('2026-07-01T07:00:00Z'));
    const sixField = parseCron('30 */15 * * * *');
    expect(nextCronTime(sixField, at('2026-01-01T10:00:30Z'))).toBe(at('2026-01-01T10:15:30Z'));
    const mondays = parseCron('0 12 * * MON', 'UTC');
    expect(nextCronTime(mondays, at('2026-01-01T00:00:00Z'))).toBe(at('2026-01-05T12:00:00Z'));
    const cronTrigger = {
      frequency: 0,
      frequency_type: 'cron',
      cron: '*/10 * * * *',
      timezone: 'UTC',
      align_time: true,
    } as const;
    expect(nextRunTime(cronTrigger, at('2026-01-01T10:01:00Z'), 60_000)).toBe(
      at('2026-01-01T10:10:00Z'),
    );
  });

  it('refuses bad expressions and zones', () => {
    expect(() => parseCron('* * *')).toThrow('5 or 6 fields');
    expect(() => parseCron('61 * * * *')).toThrow('out of range');
    expect(() => parseCron('* * * * *', 'Mars/Olympus')).toThrow('Invalid timezone');
    expect(() => nextCronTime(parseCron('0 0 31 2 *'), 0)).toThrow('within a year');
  });
});
