import type { QueryResult } from '../eval/engine.js';
import { almostEqual } from '../functions/histogram-quantile.js';
import type { FloatHistogram } from '../histogram/histogram.js';
import type { Labels } from '../labels/labels.js';
import { describeHistogram, histogramsMatch } from './compare-histogram.js';
import type { SequenceValue } from './series-desc.js';
import type { EvalCommand, ExpectedSeries } from './test-script.js';

const EPSILON = 1e-6;

function fmt(v: number): string {
  return Number.isNaN(v) ? 'NaN' : v === Infinity ? '+Inf' : v === -Infinity ? '-Inf' : String(v);
}

/** A sample value: a float, or a native histogram when `h` is set. */
export interface Got {
  v: number;
  h?: FloatHistogram | undefined;
}

function fmtGot(g: Got): string {
  return g.h ? describeHistogram(g.h) : fmt(g.v);
}

function fmtExp(e: SequenceValue): string {
  return e.kind === 'histogram' ? describeHistogram(e.h) : e.kind === 'float' ? fmt(e.v) : '_';
}

function valueMatches(e: SequenceValue, g: Got): boolean {
  if (e.kind === 'histogram') return g.h !== undefined && histogramsMatch(e.h, g.h);
  if (e.kind !== 'float') return false;
  return g.h === undefined && almostEqual(e.v, g.v, EPSILON);
}

interface Point {
  t: number;
  e: SequenceValue;
}

function expectedPoints(e: ExpectedSeries, startMs: number, stepMs: number): Point[] {
  const out: Point[] = [];
  e.values.forEach((sv, i) => {
    if (sv.kind === 'float' || sv.kind === 'histogram')
      out.push({ t: startMs + i * stepMs, e: sv });
  });
  return out;
}

/** Compares an instant vector (or scalar) against the expectations; returns a reason or undefined. */
export function compareInstant(
  cmd: EvalCommand,
  samples: readonly ({ labels: Labels } & Got)[] | undefined,
  scalar: number | undefined,
  checkOrder: boolean,
): string | undefined {
  if (scalar !== undefined) {
    if (cmd.scalar === undefined)
      return `expected vector or matrix result, but got scalar ${fmt(scalar)}`;
    if (!almostEqual(cmd.scalar, scalar, EPSILON))
      return `expected scalar ${fmt(cmd.scalar)} but got ${fmt(scalar)}`;
    return undefined;
  }
  if (cmd.scalar !== undefined) return 'expected scalar result, but got vector';
  const result = samples ?? [];
  const expected = new Map<string, { index: number; e: SequenceValue; labels: Labels }>();
  cmd.expected.forEach((e, index) => {
    expected.set(e.labels.key, {
      index,
      e: e.values[0] ?? { kind: 'omitted' },
      labels: e.labels,
    });
  });
  for (let i = 0; i < result.length; i++) {
    const s = result[i]!;
    const exp = expected.get(s.labels.key);
    if (!exp) return `unexpected metric ${s.labels.toString()} in result, has value ${fmtGot(s)}`;
    if (checkOrder && exp.index !== i) {
      return `expected metric ${s.labels.toString()} with ${fmtExp(exp.e)} at position ${exp.index} but was at ${i}`;
    }
    if (!valueMatches(exp.e, s)) {
      return `expected ${fmtExp(exp.e)} for ${s.labels.toString()} but got ${fmtGot(s)}`;
    }
  }
  if (result.length !== expected.size) {
    const got = new Set(result.map((s) => s.labels.key));
    const missing = [...expected.values()].find((e) => !got.has(e.labels.key));
    return `expected ${expected.size} samples, got ${result.length}${missing ? `; missing ${missing.labels.toString()}` : ''}`;
  }
  return undefined;
}

/** Compares a range query result against expected series with points from start by step. */
export function compareRange(cmd: EvalCommand, res: QueryResult): string | undefined {
  if (res.resultType !== 'matrix') return `expected matrix result, got ${res.resultType}`;
  if (cmd.ordered) return 'expected ordered result, but query returned a matrix';
  const expected = new Map<string, { labels: Labels; points: Point[] }>();
  for (const e of cmd.expected) {
    expected.set(e.labels.key, {
      labels: e.labels,
      points: expectedPoints(e, cmd.startMs, cmd.stepMs),
    });
  }
  for (const s of res.result) {
    const exp = expected.get(s.labels.key);
    if (!exp) return `unexpected metric ${s.labels.toString()} in result`;
    const got = (i: number): Got => ({ v: s.values[i]!, h: s.histograms?.[i] });
    if (exp.points.length !== s.timestamps.length) {
      const all = Array.from(s.timestamps, (t, i) => `${fmtGot(got(i))}@${t / 1000}`).join(' ');
      return `expected ${exp.points.length} points for ${s.labels.toString()}, got ${s.timestamps.length}: ${all}`;
    }
    for (let i = 0; i < exp.points.length; i++) {
      const p = exp.points[i]!;
      if (p.t !== s.timestamps[i] || !valueMatches(p.e, got(i))) {
        return `expected ${fmtExp(p.e)}@${p.t / 1000} for ${s.labels.toString()} but got ${fmtGot(got(i))}@${s.timestamps[i]! / 1000}`;
      }
    }
  }
  const got = new Set(res.result.map((s) => s.labels.key));
  for (const [key, e] of expected) {
    if (e.points.length > 0 && !got.has(key))
      return `expected metric ${e.labels.toString()} not found in result`;
  }
  return undefined;
}
