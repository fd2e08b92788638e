/** O2's relative units, in the order its picker lists them, with the preset values of each. */
export const RELATIVE_UNITS = [
  { unit: 's', label: 'Seconds', values: [1, 5, 10, 15, 30, 45] },
  { unit: 'm', label: 'Minutes', values: [1, 5, 10, 15, 30, 45] },
  { unit: 'h', label: 'Hours', values: [1, 2, 3, 6, 8, 12] },
  { unit: 'd', label: 'Days', values: [1, 2, 3, 4, 5, 6] },
  { unit: 'w', label: 'Weeks', values: [1, 2, 3, 4, 5, 6] },
  { unit: 'M', label: 'Months', values: [1, 2, 3, 4, 5, 6] },
] as const;

const UNIT_MS: Record<string, number> = {
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 7 * 86_400_000,
  M: 30 * 86_400_000,
};

/** `15m` → {value 15, unit 'm'}; anything else (O2's `period` URL values only) → undefined. */
export function parsePeriod(period: string): { value: number; unit: string } | undefined {
  const match = /^(\d{1,6})([smhdwM])$/.exec(period);
  if (match === null || Number(match[1]) <= 0) return undefined;
  return { value: Number(match[1]), unit: match[2]! };
}

export const DEFAULT_PERIOD = '15m';

/** A relative period's length in ms (a month counts 30 days); an unknown one is 15 minutes. */
export function periodMs(period: string): number {
  const parsed = parsePeriod(period) ?? parsePeriod(DEFAULT_PERIOD)!;
  return parsed.value * UNIT_MS[parsed.unit]!;
}

/** `15m` → "Past 15 Minutes", `1h` → "Past 1 Hour" (the picker button's text, as O2's). */
export function periodLabel(period: string): string {
  const parsed = parsePeriod(period) ?? parsePeriod(DEFAULT_PERIOD)!;
  const unit = RELATIVE_UNITS.find((u) => u.unit === parsed.unit)!.label;
  return `Past ${parsed.value} ${parsed.value === 1 ? unit.slice(0, -1) : unit}`;
}
