// Timestamps: RFC 3339 parsing, and chrono-style strftime formatting and parsing (the subset of
// specifiers VRL programs use), in UTC or a fixed/IANA zone.
import { VTimestamp } from './value.js';

const RFC3339 =
  /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:[.,](\d{1,9}))?(?:([Zz])|([+-])(\d{2}):?(\d{2}))$/;

export function parseRfc3339(s: string): VTimestamp | undefined {
  const m = RFC3339.exec(s.trim());
  if (m === null) return undefined;
  const [, y, mo, d, h, mi, sec, frac, z, sign, oh, om] = m;
  let ms = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(sec));
  if (Number.isNaN(ms)) return undefined;
  if (z === undefined && sign !== undefined) {
    const off = (Number(oh) * 60 + Number(om)) * 60_000;
    ms -= sign === '+' ? off : -off;
  }
  const nanos = frac === undefined ? 0 : Number(frac.padEnd(9, '0'));
  return new VTimestamp(Math.floor(ms / 1000), nanos);
}

export const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
export const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

/** Offset (minutes east of UTC) of an IANA zone or `±HH:MM` at the given instant. */
export function zoneOffsetMinutes(tz: string | undefined, ms: number): number {
  if (tz === undefined || tz === 'UTC' || tz === 'Z' || tz === 'local') return 0;
  const fixed = /^([+-])(\d{2}):?(\d{2})$/.exec(tz);
  if (fixed !== null) {
    const v = Number(fixed[2]) * 60 + Number(fixed[3]);
    return fixed[1] === '-' ? -v : v;
  }
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: tz,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  }).formatToParts(new Date(ms));
  const get = (t: string): number => Number(parts.find((p) => p.type === t)?.value ?? 0);
  const local = Date.UTC(
    get('year'),
    get('month') - 1,
    get('day'),
    get('hour'),
    get('minute'),
    get('second'),
  );
  return Math.round((local - Math.floor(ms / 1000) * 1000) / 60_000);
}

export function isValidZone(tz: string): boolean {
  try {
    zoneOffsetMinutes(tz, 0);
    return true;
  } catch {
    return false;
  }
}

const pad = (n: number, w = 2, c = '0'): string => String(n).padStart(w, c);

function offsetText(min: number, colon: boolean): string {
  const sign = min < 0 ? '-' : '+';
  const a = Math.abs(min);
  return `${sign}${pad(Math.floor(a / 60))}${colon ? ':' : ''}${pad(a % 60)}`;
}

export function strftime(ts: VTimestamp, format: string, tz?: string): string {
  const offMin = zoneOffsetMinutes(tz, ts.millis);
  const d = new Date(ts.secs * 1000 + offMin * 60_000);
  const Y = d.getUTCFullYear();
  const mo = d.getUTCMonth();
  const day = d.getUTCDate();
  const h = d.getUTCHours();
  const mi = d.getUTCMinutes();
  const s = d.getUTCSeconds();
  const ns = ts.nanos;
  let out = '';
  for (let i = 0; i < format.length; i++) {
    const c = format[i];
    if (c !== '%') {
      out += c;
      continue;
    }
    let spec = format[++i] ?? '';
    let fracDigits = 0;
    if (spec === '.' || /[369]/.test(spec)) {
      const digits = spec === '.' ? '' : spec;
      if (spec === '.') spec = format[++i] ?? '';
      if (/[369]/.test(spec)) {
        fracDigits = Number(spec);
        spec = format[++i] ?? '';
      }
      if (spec === 'f') {
        if (fracDigits > 0) out += `${digits === '' ? '.' : ''}${pad(ns, 9).slice(0, fracDigits)}`;
        else {
          const t = pad(ns, 9);
          out +=
            ns === 0
              ? ''
              : `.${ns % 1e6 === 0 ? t.slice(0, 3) : ns % 1e3 === 0 ? t.slice(0, 6) : t}`;
        }
        continue;
      }
    }
    switch (spec) {
      case 'Y':
        out += String(Y);
        break;
      case 'C':
        out += pad(Math.floor(Y / 100));
        break;
      case 'y':
        out += pad(Y % 100);
        break;
      case 'm':
        out += pad(mo + 1);
        break;
      case 'd':
        out += pad(day);
        break;
      case 'e':
        out += pad(day, 2, ' ');
        break;
      case 'H':
        out += pad(h);
        break;
      case 'I':
        out += pad(h % 12 === 0 ? 12 : h % 12);
        break;
      case 'M':
        out += pad(mi);
        break;
      case 'S':
        out += pad(s);
        break;
      case 'f':
        out += pad(ns, 9);
        break;
      case 'p':
        out += h < 12 ? 'AM' : 'PM';
        break;
      case 'P':
        out += h < 12 ? 'am' : 'pm';
        break;
      case 'b':
      case 'h':
        out += MONTHS[mo]?.slice(0, 3) ?? '';
        break;
      case 'B':
        out += MONTHS[mo] ?? '';
        break;
      case 'a':
        out += DAYS[d.getUTCDay()]?.slice(0, 3) ?? '';
        break;
      case 'A':
        out += DAYS[d.getUTCDay()] ?? '';
        break;
      case 'j':
        out += pad(Math.floor((d.getTime() - Date.UTC(Y, 0, 1)) / 86_400_000) + 1, 3);
        break;
      case 'z':
        out += offsetText(offMin, false);
        break;
      case ':':
        i++;
        out += offsetText(offMin, true);
        break;
      case 'Z':
        out += tz === undefined || tz === 'UTC' ? 'UTC' : offsetText(offMin, true);
        break;
      case 's':
        out += String(ts.secs);
        break;
      case 'T':
        out += `${pad(h)}:${pad(mi)}:${pad(s)}`;
        break;
      case 'R':
        out += `${pad(h)}:${pad(mi)}`;
        break;
      case 'D':
        out += `${pad(mo + 1)}/${pad(day)}/${pad(Y % 100)}`;
        break;
      case 'F':
        out += `${Y}-${pad(mo + 1)}-${pad(day)}`;
        break;
      case 'v':
        out += `${pad(day, 2, ' ')}-${MONTHS[mo]?.slice(0, 3) ?? ''}-${Y}`;
        break;
      case 'c':
        out += `${DAYS[d.getUTCDay()]?.slice(0, 3)} ${MONTHS[mo]?.slice(0, 3)} ${pad(day, 2, ' ')} ${pad(h)}:${pad(mi)}:${pad(s)} ${Y}`;
        break;
      case '+':
        out += ts.toRfc3339().replace('Z', '+00:00');
        break;
      case 'n':
        out += '\n';
        break;
      case 't':
        out += '\t';
        break;
      case '%':
        out += '%';
        break;
      default:
        throw new Error(`invalid format specifier %${spec}`);
    }
  }
  return out;
}
