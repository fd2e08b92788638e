/** The browser's own zone: what "Browser Time" means in the time-zone picker. */
export function browserZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}

/** Current IANA names that Chromium's list still gives under their old ones (Asia/Calcutta …). */
const RENAMED = [
  'Asia/Kolkata',
  'Asia/Kathmandu',
  'Asia/Ho_Chi_Minh',
  'Asia/Yangon',
  'Europe/Kyiv',
];

function accepted(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** Every IANA zone the browser knows, UTC first (as O2's picker lists them). */
export function allZones(): string[] {
  const zones = new Set(Intl.supportedValuesOf('timeZone'));
  for (const zone of RENAMED) if (accepted(zone)) zones.add(zone);
  zones.delete('UTC');
  return ['UTC', ...[...zones].sort()];
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(zone: string): Intl.DateTimeFormat {
  let found = formatters.get(zone);
  if (found === undefined) {
    found = new Intl.DateTimeFormat('en-CA', {
      timeZone: zone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(zone, found);
  }
  return found;
}

/** Wall-clock parts of an instant (ms) in a zone. */
function wall(ms: number, zone: string): Record<string, number> {
  const parts: Record<string, number> = {};
  for (const p of formatter(zone).formatToParts(new Date(ms)))
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  return parts;
}

/** How far the zone's wall clock is ahead of UTC at this instant, ms. */
export function zoneOffsetMs(ms: number, zone: string): number {
  const p = wall(ms, zone);
  const asUtc = Date.UTC(
    p['year']!,
    p['month']! - 1,
    p['day'],
    p['hour'],
    p['minute'],
    p['second'],
  );
  return asUtc - Math.floor(ms / 1000) * 1000;
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** µs → `YYYY-MM-DD` and `HH:mm:ss` on the zone's wall clock (the absolute inputs' values). */
export function zonedParts(us: number, zone: string): { date: string; time: string } {
  const p = wall(us / 1000, zone);
  return {
    date: `${p['year']}-${pad(p['month']!)}-${pad(p['day']!)}`,
    time: `${pad(p['hour']!)}:${pad(p['minute']!)}:${pad(p['second']!)}`,
  };
}

/** µs → `YYYY-MM-DD HH:mm:ss.SSS` in the zone (the table's `_timestamp`, the range label). */
export function formatInZone(us: number, zone: string): string {
  const { date, time } = zonedParts(us, zone);
  return `${date} ${time}.${pad(Math.floor(us / 1000) % 1000, 3)}`;
}

/**
 * A wall-clock date and time in a zone → µs since the epoch. Two passes, so an instant next to
 * a daylight-saving change lands on the offset in force at that instant.
 */
export function zonedToUs(date: string, time: string, zone: string): number | undefined {
  const d = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  const t = /^(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(time);
  if (d === null || t === null) return undefined;
  const asUtc = Date.UTC(+d[1]!, +d[2]! - 1, +d[3]!, +t[1]!, +t[2]!, +(t[3] ?? 0));
  if (Number.isNaN(asUtc)) return undefined;
  const first = asUtc - zoneOffsetMs(asUtc, zone);
  return (asUtc - zoneOffsetMs(first, zone)) * 1000;
}
