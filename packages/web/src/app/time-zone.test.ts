import { describe, expect, it } from 'vitest';
import { allZones, formatInZone, zoneOffsetMs, zonedParts, zonedToUs } from './time-zone';

describe('time zones for the date-time picker and the table', () => {
  const us = Date.UTC(2026, 6, 1, 12, 30, 5, 250) * 1000;

  it('formats an instant on the zone wall clock, ms kept', () => {
    expect(formatInZone(us, 'UTC')).toBe('2026-07-01 12:30:05.250');
    expect(formatInZone(us, 'Asia/Kolkata')).toBe('2026-07-01 18:00:05.250');
    expect(formatInZone(us, 'America/New_York')).toBe('2026-07-01 08:30:05.250');
  });

  it('knows the offset in force, daylight saving included', () => {
    expect(zoneOffsetMs(Date.UTC(2026, 0, 15), 'Europe/Berlin')).toBe(3_600_000);
    expect(zoneOffsetMs(Date.UTC(2026, 6, 15), 'Europe/Berlin')).toBe(7_200_000);
  });

  it('turns a wall-clock date and time in a zone back into the same instant', () => {
    const { date, time } = zonedParts(us, 'Europe/Berlin');
    expect([date, time]).toEqual(['2026-07-01', '14:30:05']);
    expect(zonedToUs(date, time, 'Europe/Berlin')).toBe(Math.floor(us / 1e6) * 1e6);
    expect(zonedToUs('2026-01-15', '00:00', 'America/New_York')).toBe(
      Date.UTC(2026, 0, 15, 5) * 1000,
    );
    expect(zonedToUs('2026-13-45', 'xx', 'UTC')).toBeUndefined();
  });

  it('lists UTC first, then every zone once, current names included', () => {
    const zones = allZones();
    expect(zones[0]).toBe('UTC');
    expect(zones).toContain('Asia/Kolkata');
    expect(zones).toContain('Europe/Berlin');
    expect(new Set(zones).size).toBe(zones.length);
  });
});
