/** Element-wise functions of one float (plus optional scalar parameters at the same step). */
export type InstantFn = (v: number, params: readonly number[]) => number;

function dateFn(get: (d: Date) => number): InstantFn {
  return (v) => {
    if (!Number.isFinite(v)) return NaN;
    return get(new Date(Math.trunc(v) * 1000));
  };
}

function daysInMonth(d: Date): number {
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
}

function dayOfYear(d: Date): number {
  const start = Date.UTC(d.getUTCFullYear(), 0, 1);
  return Math.floor((d.getTime() - start) / 86_400_000) + 1;
}

export const INSTANT_FUNCTIONS: ReadonlyMap<string, InstantFn> = new Map<string, InstantFn>([
  ['abs', Math.abs],
  ['ceil', Math.ceil],
  ['floor', Math.floor],
  ['exp', Math.exp],
  ['sqrt', Math.sqrt],
  ['ln', Math.log],
  ['log2', Math.log2],
  ['log10', Math.log10],
  ['sin', Math.sin],
  ['cos', Math.cos],
  ['tan', Math.tan],
  ['asin', Math.asin],
  ['acos', Math.acos],
  ['atan', Math.atan],
  ['sinh', Math.sinh],
  ['cosh', Math.cosh],
  ['tanh', Math.tanh],
  ['asinh', Math.asinh],
  ['acosh', Math.acosh],
  ['atanh', Math.atanh],
  ['deg', (v) => (v * 180) / Math.PI],
  ['rad', (v) => (v * Math.PI) / 180],
  ['sgn', (v) => (v > 0 ? 1 : v < 0 ? -1 : v)],
  [
    'round',
    (v, p) => {
      const toNearest = p.length > 0 ? p[0]! : 1;
      // Dividing by the inverse is what keeps e.g. round(x, 0.1) free of 0.30000000000000004.
      const inverse = 1 / toNearest;
      return Math.floor(v * inverse + 0.5) / inverse;
    },
  ],
  ['clamp', (v, p) => Math.max(p[0]!, Math.min(p[1]!, v))],
  ['clamp_min', (v, p) => Math.max(p[0]!, v)],
  ['clamp_max', (v, p) => Math.min(p[0]!, v)],
  ['days_in_month', dateFn(daysInMonth)],
  ['day_of_month', dateFn((d) => d.getUTCDate())],
  ['day_of_week', dateFn((d) => d.getUTCDay())],
  ['day_of_year', dateFn(dayOfYear)],
  ['hour', dateFn((d) => d.getUTCHours())],
  ['minute', dateFn((d) => d.getUTCMinutes())],
  ['month', dateFn((d) => d.getUTCMonth() + 1)],
  ['year', dateFn((d) => d.getUTCFullYear())],
]);

/** Date functions default to `vector(time())` when called without an argument. */
export const DATE_FUNCTIONS: ReadonlySet<string> = new Set([
  'days_in_month',
  'day_of_month',
  'day_of_week',
  'day_of_year',
  'hour',
  'minute',
  'month',
  'year',
]);
