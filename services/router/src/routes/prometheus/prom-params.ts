import type { Request } from 'express';
import { AppError } from '@o2/errors';

/**
 * Prometheus's request parameters: like Go's `r.FormValue`, a POST form body
 * (application/x-www-form-urlencoded) comes before the URL query, and a repeated key
 * (`match[]`) collects every value from both.
 */
export function paramValues(req: Request, name: string): string[] {
  const out: string[] = [];
  for (const source of [req.body as unknown, req.query as unknown]) {
    if (typeof source !== 'object' || source === null) continue;
    const value = (source as Record<string, unknown>)[name];
    for (const v of Array.isArray(value) ? (value as unknown[]) : [value])
      if (typeof v === 'string') out.push(v);
  }
  return out;
}

/** The first value of a parameter, '' when absent (as Go's `FormValue`). */
export function param(req: Request, name: string): string {
  return paramValues(req, name)[0] ?? '';
}

/** Prometheus's `invalid parameter "<name>": <reason>` (errorType bad_data, 400). */
export function invalidParam(name: string, reason: string): AppError {
  return AppError.invalidArgument(`invalid parameter ${JSON.stringify(name)}: ${reason}`);
}

const FLOAT = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;
const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;
/**
 * Prometheus's own boundary times (`minTime`/`maxTime` of its API), which clients send to mean
 * "unbounded"; here the widest range whose µs still are safe integers (years ±2255).
 */
const MIN_TIME_MS = -9_000_000_000_000;
const MAX_TIME_MS = 9_000_000_000_000;
const BOUNDARY_TIMES: Record<string, number> = {
  '-292273086-05-16T16:47:06Z': MIN_TIME_MS,
  '292277025-08-18T07:12:54.999999999Z': MAX_TIME_MS,
};

/** A time as unix seconds (float, ms precision) or RFC 3339; in ms. */
export function parseTimeMs(text: string): number | undefined {
  if (FLOAT.test(text)) {
    const seconds = Number(text);
    if (!Number.isFinite(seconds)) return undefined;
    return Math.round(seconds * 1000);
  }
  if (RFC3339.test(text)) {
    const ms = Date.parse(text);
    return Number.isNaN(ms) ? undefined : ms;
  }
  return BOUNDARY_TIMES[text];
}

/** A time parameter, `fallback` when absent; bad_data naming the parameter otherwise. */
export function timeParam(req: Request, name: string, fallback?: number): number {
  const text = param(req, name);
  if (text === '' && fallback !== undefined) return fallback;
  const ms = parseTimeMs(text);
  if (ms === undefined)
    throw invalidParam(name, `cannot parse ${JSON.stringify(text)} to a valid timestamp`);
  return ms;
}

const UNIT_MS: ReadonlyArray<readonly [string, number]> = [
  ['y', 365 * 24 * 3_600_000],
  ['w', 7 * 24 * 3_600_000],
  ['d', 24 * 3_600_000],
  ['h', 3_600_000],
  ['m', 60_000],
  ['s', 1000],
  ['ms', 1],
];
const DURATION = /^(?:(\d+)y)?(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?(?:(\d+)ms)?$/;

/** A duration as float seconds or Prometheus's `1h30m` form; in ms. */
export function parseDurationMs(text: string): number | undefined {
  if (FLOAT.test(text)) {
    const ms = Number(text) * 1000;
    return Number.isFinite(ms) ? ms : undefined;
  }
  if (text === '0') return 0;
  const m = DURATION.exec(text);
  if (text === '' || m === null) return undefined;
  let ms = 0;
  UNIT_MS.forEach(([, size], i) => {
    const n = m[i + 1];
    if (n !== undefined) ms += Number(n) * size;
  });
  return ms;
}

export function durationParam(req: Request, name: string): number | undefined {
  const text = param(req, name);
  if (text === '') return undefined;
  const ms = parseDurationMs(text);
  if (ms === undefined)
    throw invalidParam(name, `cannot parse ${JSON.stringify(text)} to a valid duration`);
  return ms;
}

/** Prometheus's `limit` (0 or absent: none). */
export function limitParam(req: Request): number | undefined {
  const text = param(req, 'limit');
  if (text === '') return undefined;
  if (!/^[+-]?\d+$/.test(text))
    throw invalidParam('limit', `strconv.Atoi: parsing ${JSON.stringify(text)}: invalid syntax`);
  const limit = Number(text);
  if (limit < 0) throw invalidParam('limit', 'limit must be non-negative');
  return limit;
}
