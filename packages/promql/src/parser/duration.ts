const UNIT_MS: Record<string, number> = {
  y: 365 * 24 * 3600_000,
  w: 7 * 24 * 3600_000,
  d: 24 * 3600_000,
  h: 3600_000,
  m: 60_000,
  s: 1000,
  ms: 1,
};

const DURATION_RE =
  /^(?:(\d+)y)?(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?(?:(\d+)ms)?$/;
const ORDER = ['y', 'w', 'd', 'h', 'm', 's', 'ms'] as const;

/** Prometheus duration (`1h30m`, `90s`) in ms, or undefined when the text is not one. */
export function parseDurationMs(text: string): number | undefined {
  if (text === '' || text === '0') return text === '0' ? 0 : undefined;
  const m = DURATION_RE.exec(text);
  if (!m) return undefined;
  let ms = 0;
  let any = false;
  ORDER.forEach((unit, i) => {
    const part = m[i + 1];
    if (part !== undefined) {
      ms += Number(part) * UNIT_MS[unit]!;
      any = true;
    }
  });
  return any ? ms : undefined;
}

/** A number literal (seconds, possibly fractional or hex) or a duration, in ms. */
export function parseNumberOrDurationMs(text: string): number | undefined {
  const d = parseDurationMs(text);
  if (d !== undefined) return d;
  const n = parseNumberLiteral(text);
  if (Number.isNaN(n)) return undefined;
  return Math.round(n * 1000);
}

/** PromQL number literal: decimal, exponent, hex, `Inf`, `NaN`, `_` digit separators. */
export function parseNumberLiteral(text: string): number {
  const t = text.replace(/[_\s]/g, '').toLowerCase();
  if (t === 'inf' || t === '+inf') return Infinity;
  if (t === '-inf') return -Infinity;
  if (t === 'nan' || t === '+nan' || t === '-nan') return NaN;
  if (/^[+-]?0x[0-9a-f]+$/.test(t)) {
    const neg = t.startsWith('-');
    const v = parseInt(t.replace(/^[+-]?0x/, ''), 16);
    return neg ? -v : v;
  }
  if (!/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/.test(t)) {
    const d = parseDurationMs(t.replace(/^[+-]/, ''));
    if (d !== undefined) return (t.startsWith('-') ? -d : d) / 1000;
    return NaN;
  }
  return Number(t);
}

/** Prometheus's duration formatting (`1h30m`, `0s`). */
export function formatDurationMs(ms: number): string {
  if (ms === 0) return '0s';
  const neg = ms < 0;
  let rest = Math.abs(ms);
  let out = '';
  for (const unit of ORDER) {
    const size = UNIT_MS[unit]!;
    const n = Math.floor(rest / size);
    if (n > 0) {
      out += `${n}${unit}`;
      rest -= n * size;
    }
  }
  return (neg ? '-' : '') + out;
}
