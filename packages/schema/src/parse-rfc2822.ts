import { civilToMicros, daysFromCivil, daysInMonth, weekdayOfDays } from './civil-time.js';
import { digits } from './parse-iso-date-time.js';

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
/** RFC 2822 §4.3 obsolete zone names, hours east of UTC. */
const ZONES = new Map<string, number>([
  ['ut', 0],
  ['gmt', 0],
  ['z', 0],
  ['est', -5],
  ['edt', -4],
  ['cst', -6],
  ['cdt', -5],
  ['mst', -7],
  ['mdt', -6],
  ['pst', -8],
  ['pdt', -7],
]);

/**
 * RFC 2822 date-time → µs since the epoch, or undefined:
 * `[Day,] D Mon YYYY HH:MM[:SS] (±HHMM | UT | GMT | Z | EST … PDT)`.
 * Names are case-insensitive; a day name, when present, must match the date; two- and
 * three-digit years follow RFC 2822 §4.3 (< 50 → 20xx, otherwise 19xx / 1900+).
 */
export function parseRfc2822(s: string): number | undefined {
  const t = new Tokens(s);
  let word = t.word();
  let weekday = -1;
  if (word !== undefined && t.peek() === 44) {
    weekday = WEEKDAYS.indexOf(word.toLowerCase());
    if (weekday < 0) return undefined;
    t.skip(1);
    t.spaces();
    word = t.word();
  }
  if (word !== undefined) return undefined;

  const dayText = t.number(1, 2);
  if (dayText === undefined || !t.spaces()) return undefined;
  const monthName = t.word();
  const month = monthName === undefined ? -1 : MONTHS.indexOf(monthName.toLowerCase()) + 1;
  if (month < 1 || !t.spaces()) return undefined;
  const yearStart = t.pos;
  let year = t.number(2, 4);
  if (year === undefined || !t.spaces()) return undefined;
  const yearDigits = t.pos - yearStart;
  if (yearDigits === 2 || yearDigits === 3) {
    year = year < 50 && yearDigits === 2 ? year + 2000 : year + 1900;
  }
  if (year > 9999 || dayText < 1 || dayText > daysInMonth(year, month)) return undefined;

  const hour = t.number(2, 2);
  if (hour === undefined || hour > 23 || !t.char(58)) return undefined;
  const minute = t.number(2, 2);
  if (minute === undefined || minute > 59) return undefined;
  let second = 0;
  if (t.peek() === 58) {
    t.skip(1);
    const sec = t.number(2, 2);
    if (sec === undefined || sec > 59) return undefined;
    second = sec;
  }
  if (!t.spaces()) return undefined;

  const offset = t.zone();
  if (offset === undefined || !t.atEnd()) return undefined;
  if (weekday >= 0 && weekdayOfDays(daysFromCivil(year, month, dayText)) !== weekday) {
    return undefined;
  }
  return civilToMicros(year, month, dayText, hour, minute, second, 0, offset);
}

/** A tiny cursor over the text; every method leaves `pos` unchanged when it fails. */
class Tokens {
  pos = 0;
  constructor(private readonly s: string) {}

  peek(): number {
    return this.s.charCodeAt(this.pos);
  }
  skip(n: number): void {
    this.pos += n;
  }
  atEnd(): boolean {
    return this.pos === this.s.length;
  }
  char(code: number): boolean {
    if (this.peek() !== code) return false;
    this.pos++;
    return true;
  }
  /** One or more spaces or tabs. */
  spaces(): boolean {
    const start = this.pos;
    while (this.peek() === 32 || this.peek() === 9) this.pos++;
    return this.pos > start;
  }
  /** A run of ASCII letters. */
  word(): string | undefined {
    const start = this.pos;
    let c = this.peek();
    while ((c >= 65 && c <= 90) || (c >= 97 && c <= 122)) c = this.s.charCodeAt(++this.pos);
    return this.pos > start ? this.s.slice(start, this.pos) : undefined;
  }
  /** Between `min` and `max` ASCII digits. */
  number(min: number, max: number): number | undefined {
    const start = this.pos;
    let c = this.peek();
    while (this.pos - start < max && c >= 48 && c <= 57) c = this.s.charCodeAt(++this.pos);
    const len = this.pos - start;
    if (len < min || (c >= 48 && c <= 57)) {
      this.pos = start;
      return undefined;
    }
    return digits(this.s, start, len);
  }
  /** `±HHMM` or a zone name; seconds east of UTC. */
  zone(): number | undefined {
    const c = this.peek();
    if (c === 43 || c === 45) {
      const hh = digits(this.s, this.pos + 1, 2);
      const mm = digits(this.s, this.pos + 3, 2);
      if (hh < 0 || hh > 23 || mm < 0 || mm > 59) return undefined;
      this.pos += 5;
      return (c === 45 ? -1 : 1) * (hh * 3600 + mm * 60);
    }
    const name = this.word();
    const hours = name === undefined ? undefined : ZONES.get(name.toLowerCase());
    return hours === undefined ? undefined : hours * 3600;
  }
}
