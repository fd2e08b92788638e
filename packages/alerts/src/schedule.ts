import { AppError } from '@o2/errors';

/**
 * When an alert runs next: every `frequency` minutes (aligned to multiples of the frequency when
 * `align_time`), or at the times a cron expression names in a time zone. Pure: the caller passes
 * the clock and the length of an alert minute (60 s, shorter only in tests).
 */

export interface CronSchedule {
  seconds: ReadonlySet<number>;
  minutes: ReadonlySet<number>;
  hours: ReadonlySet<number>;
  days: ReadonlySet<number>;
  months: ReadonlySet<number>;
  weekdays: ReadonlySet<number>;
  /** Whether day-of-month / day-of-week were restricted (both restricted: either may match). */
  anyDay: boolean;
  anyWeekday: boolean;
  timezone: string;
}

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

function fieldValue(text: string, names: string[] | undefined, offset: number): number {
  const upper = text.toUpperCase();
  const named = names?.indexOf(upper) ?? -1;
  if (named >= 0) return named + offset;
  if (!/^\d+$/.test(text)) throw AppError.invalidArgument(`Invalid cron value: ${text}`);
  return Number(text);
}

function parseField(
  text: string,
  min: number,
  max: number,
  names?: string[],
  nameOffset = 0,
): Set<number> {
  const out = new Set<number>();
  for (const part of text.split(',')) {
    const [range = '', stepText] = part.split('/');
    const step = stepText === undefined ? 1 : Number(stepText);
    if (!Number.isInteger(step) || step < 1)
      throw AppError.invalidArgument(`Invalid cron step: ${part}`);
    let lo = min;
    let hi = max;
    if (range !== '*' && range !== '?') {
      const [a = '', b] = range.split('-');
      lo = fieldValue(a, names, nameOffset);
      hi = b === undefined ? (stepText === undefined ? lo : max) : fieldValue(b, names, nameOffset);
    }
    if (lo < min || hi > max || lo > hi)
      throw AppError.invalidArgument(`Cron field out of range: ${part}`);
    for (let v = lo; v <= hi; v += step) out.add(v);
  }
  return out;
}

/** Throws INVALID_ARGUMENT for an unknown zone. */
export function checkTimezone(timezone: string): void {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: timezone });
  } catch {
    throw AppError.invalidArgument(`Invalid timezone: ${timezone}`);
  }
}

/** `min hour dom month dow` or O2's `sec min hour dom month dow [year]` (year must be `*`). */
export function parseCron(expression: string, timezone = 'UTC'): CronSchedule {
  checkTimezone(timezone);
  const parts = expression.trim().split(/\s+/);
  if (parts.length === 7 && parts[6] !== '*')
    throw AppError.invalidArgument('Cron years other than * are not supported');
  if (parts.length === 7) parts.pop();
  if (parts.length === 5) parts.unshift('0');
  if (parts.length !== 6)
    throw AppError.invalidArgument(`Invalid cron expression (5 or 6 fields): ${expression}`);
  const [sec, min, hour, dom, month, dow] = parts as [
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  const weekdays = parseField(dow, 0, 7, DAYS);
  if (weekdays.has(7)) weekdays.add(0);
  return {
    seconds: parseField(sec, 0, 59),
    minutes: parseField(min, 0, 59),
    hours: parseField(hour, 0, 23),
    days: parseField(dom, 1, 31),
    months: parseField(month, 1, 12, MONTHS, 1),
    weekdays,
    anyDay: dom === '*' || dom === '?',
    anyWeekday: dow === '*' || dow === '?',
    timezone,
  };
}

interface LocalTime {
  month: number;
  day: number;
  weekday: number;
  hour: number;
  minute: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function localTime(ms: number, timezone: string): LocalTime {
  let f = formatters.get(timezone);
  if (f === undefined) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: timezone,
      hourCycle: 'h23',
      month: 'numeric',
      day: 'numeric',
      weekday: 'short',
      hour: 'numeric',
      minute: 'numeric',
    });
    formatters.set(timezone, f);
  }
  const parts: Record<string, string> = {};
  for (const p of f.formatToParts(ms)) parts[p.type] = p.value;
  return {
    month: Number(parts['month']),
    day: Number(parts['day']),
    weekday: DAYS.indexOf((parts['weekday'] ?? '').toUpperCase()),
    hour: Number(parts['hour']),
    minute: Number(parts['minute']),
  };
}

const MINUTE = 60_000;
const SEARCH_LIMIT_MINUTES = 366 * 24 * 60 + 60;

/** The first time (ms) strictly after `afterMs` that the schedule names; throws if none in a year. */
export function nextCronTime(schedule: CronSchedule, afterMs: number): number {
  const seconds = [...schedule.seconds].sort((a, b) => a - b);
  let minuteStart = Math.floor(afterMs / MINUTE) * MINUTE;
  for (let steps = 0; steps < SEARCH_LIMIT_MINUTES; steps++) {
    const t = localTime(minuteStart, schedule.timezone);
    const dayOk =
      schedule.anyDay && schedule.anyWeekday
        ? true
        : schedule.anyDay
          ? schedule.weekdays.has(t.weekday)
          : schedule.anyWeekday
            ? schedule.days.has(t.day)
            : schedule.days.has(t.day) || schedule.weekdays.has(t.weekday);
    if (!schedule.months.has(t.month) || !dayOk) {
      // Jump to an hour before the next local midnight; hour skipping covers the rest (DST-safe).
      const skip = Math.max(1, 1440 - t.hour * 60 - t.minute - 60);
      minuteStart += skip * MINUTE;
      continue;
    }
    if (!schedule.hours.has(t.hour)) {
      minuteStart += (60 - t.minute) * MINUTE;
      continue;
    }
    if (schedule.minutes.has(t.minute)) {
      for (const s of seconds) {
        const at = minuteStart + s * 1000;
        if (at > afterMs) return at;
      }
    }
    minuteStart += MINUTE;
  }
  throw AppError.invalidArgument('Cron expression names no time within a year');
}

export interface TriggerTiming {
  frequency: number;
  frequency_type: 'minutes' | 'cron';
  cron: string;
  timezone: string;
  align_time: boolean;
}

/**
 * The run after one due at `previousMs` (or the first run, from `nowMs`, when there was none).
 * `minuteMs` is the length of an alert minute. A run never lands in the past: after downtime the
 * schedule resumes from now rather than replaying every missed period.
 */
export function nextRunTime(
  trigger: TriggerTiming,
  nowMs: number,
  minuteMs: number,
  previousMs?: number,
): number {
  if (trigger.frequency_type === 'cron')
    return nextCronTime(
      parseCron(trigger.cron, trigger.timezone),
      Math.max(nowMs, previousMs ?? 0),
    );
  const every = Math.max(1, trigger.frequency) * minuteMs;
  if (previousMs !== undefined && previousMs + every > nowMs) return previousMs + every;
  if (trigger.align_time) return (Math.floor(nowMs / every) + 1) * every;
  return previousMs === undefined ? nowMs : nowMs + every;
}
