// chrono-style strptime: text + a strftime format → timestamp (UTC unless the text or `tz` says).
import { functionError } from '../function.js';
import { DAYS, MONTHS, parseRfc3339, zoneOffsetMinutes } from '../time.js';
import { VTimestamp } from '../value.js';

interface Parts {
  Y: number;
  m: number;
  d: number;
  H: number;
  M: number;
  S: number;
  nanos: number;
  pm?: boolean;
  offsetMin?: number;
  epoch?: number;
}

const EXPAND: Record<string, string> = {
  T: '%H:%M:%S',
  D: '%m/%d/%y',
  F: '%Y-%m-%d',
  R: '%H:%M',
  v: '%e-%b-%Y',
  c: '%a %b %e %H:%M:%S %Y',
  r: '%I:%M:%S %p',
};

export function parseTimestampText(text: string, format: string, tz?: string): VTimestamp {
  const fail = (): never => {
    throw functionError(`unable to parse timestamp "${text}" with format "${format}"`);
  };
  if (format === '%+') return parseRfc3339(text) ?? fail();
  let fmt = format;
  for (const [k, v] of Object.entries(EXPAND)) fmt = fmt.split(`%${k}`).join(v);
  const p: Parts = { Y: 1970, m: 1, d: 1, H: 0, M: 0, S: 0, nanos: 0 };
  let i = 0;
  const digits = (max: number, allowSign = false): number => {
    const start = i;
    if (allowSign && (text[i] === '-' || text[i] === '+')) i++;
    while (i < text.length && i - start < max && /\d/.test(text[i] as string)) i++;
    if (i === start) fail();
    return Number(text.slice(start, i));
  };
  const word = (names: string[]): number => {
    const rest = text.slice(i).toLowerCase();
    for (const long of [true, false]) {
      const idx = names.findIndex((n) => rest.startsWith((long ? n : n.slice(0, 3)).toLowerCase()));
      if (idx >= 0) {
        i += long ? (names[idx] as string).length : 3;
        return idx;
      }
    }
    return fail();
  };
  for (let f = 0; f < fmt.length; f++) {
    const c = fmt[f] as string;
    if (c !== '%') {
      if (c === ' ') {
        while (text[i] === ' ') i++;
      } else if (text[i++] !== c) fail();
      continue;
    }
    let spec = fmt[++f] ?? '';
    if (spec === '-' || spec === '_' || spec === '0') spec = fmt[++f] ?? '';
    switch (spec) {
      case 'Y':
        p.Y = digits(4, true);
        break;
      case 'y':
        p.Y = 2000 + digits(2);
        if (p.Y > 2068) p.Y -= 100;
        break;
      case 'm':
        p.m = digits(2);
        break;
      case 'd':
      case 'e':
        while (text[i] === ' ') i++;
        p.d = digits(2);
        break;
      case 'H':
      case 'k':
        while (text[i] === ' ') i++;
        p.H = digits(2);
        break;
      case 'I':
      case 'l':
        while (text[i] === ' ') i++;
        p.H = digits(2);
        break;
      case 'M':
        p.M = digits(2);
        break;
      case 'S':
        p.S = digits(2);
        break;
      case 'j': {
        const doy = digits(3);
        p.m = 1;
        p.d = doy;
        break;
      }
      case 'b':
      case 'h':
      case 'B':
        p.m = word(MONTHS) + 1;
        break;
      case 'a':
      case 'A':
        word(DAYS);
        break;
      case 'p':
      case 'P': {
        const t = text.slice(i, i + 2).toLowerCase();
        if (t !== 'am' && t !== 'pm') fail();
        p.pm = t === 'pm';
        i += 2;
        break;
      }
      case 's':
        p.epoch = digits(20, true);
        break;
      case 'f': {
        const s = i;
        digits(9);
        p.nanos = Number(text.slice(s, i).padEnd(9, '0'));
        break;
      }
      case '.': {
        const n = fmt[++f];
        if (n !== 'f' && !/[369]/.test(n ?? '')) fail();
        if (n !== 'f') f++;
        if (text[i] === '.') {
          i++;
          const s = i;
          digits(9);
          p.nanos = Number(text.slice(s, i).padEnd(9, '0'));
        }
        break;
      }
      case 'z':
      case ':':
      case '#': {
        if (spec !== 'z') f++;
        if (text[i] === 'Z' || text[i] === 'z') {
          i++;
          p.offsetMin = 0;
          break;
        }
        const m = /^([+-])(\d{2}):?(\d{2})/.exec(text.slice(i));
        if (m === null) return fail();
        i += m[0].length;
        const v = Number(m[2]) * 60 + Number(m[3]);
        p.offsetMin = m[1] === '-' ? -v : v;
        break;
      }
      case 'Z': {
        const m = /^[A-Za-z]+/.exec(text.slice(i));
        if (m === null) fail();
        i += (m as RegExpExecArray)[0].length;
        if (
          (m as RegExpExecArray)[0].toUpperCase() === 'UTC' ||
          (m as RegExpExecArray)[0].toUpperCase() === 'GMT'
        )
          p.offsetMin = 0;
        break;
      }
      case 'n':
      case 't':
        while (/\s/.test(text[i] ?? '')) i++;
        break;
      case '%':
        if (text[i++] !== '%') fail();
        break;
      default:
        fail();
    }
  }
  if (i !== text.length) fail();
  if (p.epoch !== undefined) return new VTimestamp(p.epoch, p.nanos);
  if (p.pm !== undefined) p.H = (p.H % 12) + (p.pm ? 12 : 0);
  const local = Date.UTC(p.Y, p.m - 1, p.d, p.H, p.M, p.S);
  if (Number.isNaN(local)) fail();
  const offset =
    p.offsetMin ??
    (tz !== undefined ? zoneOffsetMinutes(tz, local - zoneOffsetMinutes(tz, local) * 60_000) : 0);
  const ms = local - offset * 60_000;
  return new VTimestamp(Math.floor(ms / 1000), p.nanos);
}
