import type { FloatHistogram } from '../histogram/histogram.js';
import { CUSTOM_BUCKETS_SCHEMA } from '../histogram/histogram.js';
import type { Bucket } from '../histogram/histogram.js';
import type { Labels } from '../labels/labels.js';
import { parseNumberLiteral } from '../parser/duration.js';
import type { MemorySeriesSource, SampleInput } from '../storage/memory-series-source.js';
import type { SequenceValue } from './series-desc.js';
import type { LoadCommand } from './test-script.js';

const LE: ReadonlySet<string> = new Set(['le']);

/** The parts of one classic histogram that `load_with_nhcb` turns into a native one. */
interface ClassicParts {
  labels: Labels;
  buckets: { le: number; values: SequenceValue[] }[];
  sum?: SequenceValue[];
  count?: SequenceValue[];
}

function floatAt(values: SequenceValue[] | undefined, i: number): number | undefined {
  const v = values?.[i];
  return v?.kind === 'float' ? v.v : undefined;
}

/**
 * One native histogram with custom buckets (schema -53) from the classic series at index `i`:
 * finite `le` bounds become the custom values, cumulative counts become per-bucket counts.
 */
function nhcbAt(parts: ClassicParts, i: number): FloatHistogram | undefined {
  const cumulative = new Map<number, number>();
  for (const b of parts.buckets) {
    const v = floatAt(b.values, i);
    if (v !== undefined) cumulative.set(b.le, v);
  }
  if (cumulative.size === 0) return undefined;
  const bounds = [...cumulative.keys()].sort((a, b) => a - b);
  const customValues = bounds.filter((b) => b !== Infinity);
  const pos: Bucket[] = [];
  let prev = 0;
  bounds.forEach((le, k) => {
    const c = cumulative.get(le)!;
    pos.push({ i: k, c: c - prev });
    prev = c;
  });
  return {
    schema: CUSTOM_BUCKETS_SCHEMA,
    zeroThreshold: 0,
    zeroCount: 0,
    count: floatAt(parts.count, i) ?? prev,
    sum: floatAt(parts.sum, i) ?? 0,
    pos,
    neg: [],
    hint: 'unknown',
    customValues,
  };
}

function samplesOf(values: SequenceValue[], intervalMs: number): SampleInput[] {
  const samples: SampleInput[] = [];
  values.forEach((v, i) => {
    const t = i * intervalMs;
    if (v.kind === 'float') samples.push({ t, v: v.v });
    else if (v.kind === 'stale') samples.push({ t, v: NaN, stale: true });
    else if (v.kind === 'histogram') samples.push({ t, v: v.h.count, h: v.h });
  });
  return samples;
}

/** Executes a `load` / `load_with_nhcb` block into the store. */
export function loadCommand(store: MemorySeriesSource, cmd: LoadCommand): void {
  const classic = new Map<string, ClassicParts>();
  const part = (labels: Labels): ClassicParts => {
    let p = classic.get(labels.key);
    if (!p) {
      p = { labels, buckets: [] };
      classic.set(labels.key, p);
    }
    return p;
  };
  for (const s of cmd.series) {
    const samples = samplesOf(s.values, cmd.intervalMs);
    if (samples.length > 0) store.add(s.labels, samples);
    if (!cmd.withNhcb) continue;
    const name = s.labels.get('__name__');
    const base = (suffix: string): Labels =>
      s.labels.without(LE).with('__name__', name.slice(0, -suffix.length));
    if (name.endsWith('_bucket') && s.labels.has('le')) {
      const le = parseNumberLiteral(s.labels.get('le'));
      if (!Number.isNaN(le)) part(base('_bucket')).buckets.push({ le, values: s.values });
    } else if (name.endsWith('_sum')) part(base('_sum')).sum = s.values;
    else if (name.endsWith('_count')) part(base('_count')).count = s.values;
  }
  for (const parts of classic.values()) {
    if (parts.buckets.length === 0) continue;
    const len = Math.max(...parts.buckets.map((b) => b.values.length));
    const samples: SampleInput[] = [];
    for (let i = 0; i < len; i++) {
      const h = nhcbAt(parts, i);
      if (h) samples.push({ t: i * cmd.intervalMs, v: h.count, h });
    }
    if (samples.length > 0) store.add(parts.labels, samples);
  }
}
