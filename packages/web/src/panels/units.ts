/**
 * The panel config's `unit` (+ `unit_custom`) and `decimals` applied to a value, with O2's unit
 * ids (UI-SPEC §7.3). Sizes scale by 1024 as O2's do.
 */
export const UNITS = [
  { value: 'default', label: 'Default' },
  { value: 'numbers', label: 'Numbers' },
  { value: 'bytes', label: 'Bytes' },
  { value: 'kilobytes', label: 'Kilobytes' },
  { value: 'megabytes', label: 'Megabytes' },
  { value: 'bps', label: 'Bytes/Second' },
  { value: 'seconds', label: 'Seconds' },
  { value: 'milliseconds', label: 'Milliseconds' },
  { value: 'microseconds', label: 'Microseconds' },
  { value: 'nanoseconds', label: 'Nanoseconds' },
  { value: 'percent-1', label: 'Percent (0.0-1.0)' },
  { value: 'percent', label: 'Percent (0-100)' },
  { value: 'currency-dollar', label: 'Currency ($)' },
  { value: 'custom', label: 'Custom' },
] as const;

const SIZES = ['B', 'KB', 'MB', 'GB', 'TB', 'PB'];

function scaled(value: number, start: number, decimals: number, suffix = ''): string {
  let v = value;
  let i = start;
  while (Math.abs(v) >= 1024 && i < SIZES.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(decimals)} ${SIZES[i]}${suffix}`;
}

function duration(value: number, msPerUnit: number, decimals: number): string {
  const ms = value * msPerUnit;
  const abs = Math.abs(ms);
  if (abs >= 3_600_000) return `${(ms / 3_600_000).toFixed(decimals)} h`;
  if (abs >= 60_000) return `${(ms / 60_000).toFixed(decimals)} min`;
  if (abs >= 1000) return `${(ms / 1000).toFixed(decimals)} s`;
  if (abs >= 1) return `${ms.toFixed(decimals)} ms`;
  if (abs >= 0.001) return `${(ms * 1000).toFixed(decimals)} µs`;
  return `${(ms * 1e6).toFixed(decimals)} ns`;
}

/** `value` as the panel shows it; `decimals` defaults to 2. */
export function formatUnit(
  value: number,
  unit: string | null | undefined,
  decimals: number | null | undefined,
  custom?: string | null,
): string {
  const d = decimals ?? 2;
  if (!Number.isFinite(value)) return String(value);
  switch (unit ?? 'default') {
    case 'bytes':
      return scaled(value, 0, d);
    case 'kilobytes':
      return scaled(value, 1, d);
    case 'megabytes':
      return scaled(value, 2, d);
    case 'bps':
      return scaled(value, 0, d, '/s');
    case 'seconds':
      return duration(value, 1000, d);
    case 'milliseconds':
      return duration(value, 1, d);
    case 'microseconds':
      return duration(value, 0.001, d);
    case 'nanoseconds':
      return duration(value, 0.000001, d);
    case 'percent-1':
      return `${(value * 100).toFixed(d)}%`;
    case 'percent':
      return `${value.toFixed(d)}%`;
    case 'currency-dollar':
      return `$${value.toFixed(d)}`;
    case 'custom':
      return `${value.toFixed(d)}${custom ?? ''}`;
    case 'numbers':
      return value.toLocaleString('en-US', { maximumFractionDigits: d });
    default:
      return Number.isInteger(value) ? String(value) : value.toFixed(d);
  }
}
