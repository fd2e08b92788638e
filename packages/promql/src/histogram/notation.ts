import { parseNumberLiteral } from '../parser/duration.js';
import { addHistograms, subHistograms } from './histogram-math.js';
import type { Bucket, CounterResetHint, FloatHistogram } from './histogram.js';

const HINTS: ReadonlySet<string> = new Set(['unknown', 'reset', 'not_reset', 'gauge']);

function numbers(text: string): number[] {
  const t = text.trim();
  return t === '' ? [] : t.split(/\s+/).map(parseNumberLiteral);
}

function bucketsFrom(counts: number[], offset: number): Bucket[] {
  return counts.map((c, k) => ({ i: offset + k, c }));
}

/**
 * Parses the promqltest histogram literal `{{schema:0 sum:5 count:4 z_bucket:1 z_bucket_w:0.001
 * buckets:[1 2] offset:-1 n_buckets:[..] n_offset:0 custom_values:[..] counter_reset_hint:gauge}}`
 * (bucket values are absolute counts, the first at `offset`).
 */
export function parseHistogramLiteral(text: string): FloatHistogram {
  const body = text.trim().replace(/^\{\{/, '').replace(/\}\}$/, '');
  const fields = new Map<string, string>();
  const re = /(\w+):\s*(\[[^\]]*\]|\S+)/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(body)) !== null) fields.set(m[1]!, m[2]!);
  const num = (k: string, def: number): number =>
    fields.has(k) ? parseNumberLiteral(fields.get(k)!) : def;
  const list = (k: string): number[] =>
    fields.has(k) ? numbers(fields.get(k)!.replace(/^\[/, '').replace(/\]$/, '')) : [];
  for (const k of fields.keys()) {
    if (
      ![
        'schema',
        'sum',
        'count',
        'z_bucket',
        'z_bucket_w',
        'buckets',
        'offset',
        'n_buckets',
        'n_offset',
        'counter_reset_hint',
        'custom_values',
      ].includes(k)
    ) {
      throw new Error(`unknown histogram field ${JSON.stringify(k)} in ${text}`);
    }
  }
  const hint = fields.get('counter_reset_hint') ?? 'unknown';
  if (!HINTS.has(hint)) throw new Error(`bad counter_reset_hint ${JSON.stringify(hint)}`);
  const custom = fields.has('custom_values') ? list('custom_values') : undefined;
  return {
    schema: num('schema', 0),
    zeroThreshold: num('z_bucket_w', 0),
    zeroCount: num('z_bucket', 0),
    count: num('count', 0),
    sum: num('sum', 0),
    pos: bucketsFrom(list('buckets'), num('offset', 0)),
    neg: bucketsFrom(list('n_buckets'), num('n_offset', 0)),
    hint: hint as CounterResetHint,
    customValues: custom,
  };
}

/** Splits `{{a}}` / `{{a}}xN` / `{{a}}+{{b}}xN` / `{{a}}-{{b}}xN` into its histograms. */
export function expandHistogramSequence(token: string): FloatHistogram[] {
  const firstEnd = token.indexOf('}}') + 2;
  const first = parseHistogramLiteral(token.slice(0, firstEnd));
  const rest = token.slice(firstEnd);
  if (rest === '') return [first];
  const times = /^x(\d+)$/.exec(rest);
  if (times) return Array.from({ length: Number(times[1]) + 1 }, () => first);
  const step = /^([+-])(\{\{.*\}\})x(\d+)$/.exec(rest);
  if (!step) throw new Error(`bad histogram sequence ${JSON.stringify(token)}`);
  const inc = parseHistogramLiteral(step[2]!);
  const out = [first];
  let cur = first;
  for (let k = 0; k < Number(step[3]); k++) {
    cur = step[1] === '+' ? addHistograms(cur, inc) : subHistograms(cur, inc);
    out.push(cur);
  }
  return out;
}
