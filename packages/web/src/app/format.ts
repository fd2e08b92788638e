/** Sizes arrive in MB (floats) from the streams API; shown in human units. */
export function formatMB(mb: number): string {
  const bytes = mb * 1024 * 1024;
  const units = ['B', 'KB', 'MB', 'GB', 'TB', 'PB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  const digits = unit === 0 || value >= 100 ? 0 : 2;
  return `${value.toFixed(digits)} ${units[unit]}`;
}

/** 1234 → "1.23K", 1_200_000 → "1.2M"; small numbers as they are. */
export function formatCount(n: number): string {
  if (n < 1000) return String(n);
  const units = ['K', 'M', 'B', 'T'];
  let value = n;
  let unit = -1;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit += 1;
  }
  return `${Number(value.toFixed(2))}${units[unit]}`;
}

/** µs since the epoch → "3 min ago" (with the absolute time for a tooltip); 0 → "Never". */
export function relativeTime(us: number, nowMs: number = Date.now()): string {
  if (us <= 0) return 'Never';
  const seconds = Math.max(0, Math.round((nowMs - us / 1000) / 1000));
  if (seconds < 60) return `${seconds} sec ago`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ago`;
  if (seconds < 86_400) return `${Math.floor(seconds / 3600)} hours ago`;
  return `${Math.floor(seconds / 86_400)} days ago`;
}

export function absoluteTime(us: number): string {
  return us <= 0 ? '' : new Date(us / 1000).toISOString();
}
