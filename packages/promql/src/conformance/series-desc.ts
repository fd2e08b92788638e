import type { FloatHistogram } from '../histogram/histogram.js';
import { expandHistogramSequence } from '../histogram/notation.js';
import { Labels } from '../labels/labels.js';
import { parseNumberLiteral } from '../parser/duration.js';
import { unquoteString } from '../parser/string-literal.js';

/** One point of a promqltest value sequence. */
export type SequenceValue =
  | { readonly kind: 'float'; readonly v: number }
  | { readonly kind: 'stale' }
  | { readonly kind: 'omitted' }
  | { readonly kind: 'histogram'; readonly h: FloatHistogram };

/** Splits `name{a="b"} 1 2 3` into the series part and the values part, honouring quotes. */
export function splitSeriesLine(line: string): { series: string; values: string } {
  const t = line.trim();
  let i = 0;
  while (i < t.length && !/\s|\{/.test(t[i]!)) i++;
  if (t[i] === '{') {
    let quote: string | undefined;
    for (; i < t.length; i++) {
      const c = t[i]!;
      if (quote) {
        if (c === '\\') i++;
        else if (c === quote) quote = undefined;
      } else if (c === '"' || c === "'" || c === '`') quote = c;
      else if (c === '}') {
        i++;
        break;
      }
    }
  }
  return { series: t.slice(0, i), values: t.slice(i).trim() };
}

/** Parses `name{a="b", "quoted"="c"}` / `{__name__="x"}` / `name` into labels. */
export function parseSeriesDesc(text: string): Labels {
  const pairs: [string, string][] = [];
  const brace = text.indexOf('{');
  const name = brace < 0 ? text : text.slice(0, brace);
  if (name !== '') pairs.push(['__name__', name]);
  if (brace >= 0) {
    const body = text.slice(brace + 1, text.lastIndexOf('}'));
    const re =
      /\s*("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|[A-Za-z_][A-Za-z0-9_]*)\s*(?:=\s*("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`))?\s*,?/gy;
    let m: RegExpExecArray | null;
    while (re.lastIndex < body.length && (m = re.exec(body)) !== null) {
      if (m[0] === '') break;
      const key = /^["']/.test(m[1]!) ? unquoteString(m[1]!) : m[1]!;
      if (m[2] === undefined) pairs.push(['__name__', key]);
      else pairs.push([key, unquoteString(m[2])]);
    }
  }
  return Labels.from(pairs);
}

const NUM = String.raw`(?:0x[0-9a-f]+|[0-9]*\.?[0-9]+(?:e[+-]?[0-9]+)?|inf|nan)`;
const SEQ_RE = new RegExp(String.raw`^([+-]?${NUM})(?:([+-])(${NUM}))?x(\d+)$`, 'i');

/** Splits a values string into tokens, keeping `{{ ... }}` histogram literals whole. */
function tokenize(values: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < values.length) {
    while (i < values.length && /\s/.test(values[i]!)) i++;
    if (i >= values.length) break;
    let tok = '';
    while (i < values.length && !/\s/.test(values[i]!)) {
      if (values.startsWith('{{', i)) {
        const end = values.indexOf('}}', i);
        const stop = end < 0 ? values.length : end + 2;
        tok += values.slice(i, stop);
        i = stop;
      } else tok += values[i++];
    }
    out.push(tok);
  }
  return out;
}

/**
 * Expands promqltest's value notation: `1 2 3`, `0+10x5` (6 points), `1-1x3`, `5x3`, `_`, `_x3`,
 * `stale`, `NaN`, `Inf`, and native histogram literals `{{...}}` (also `{{a}}+{{b}}x3`).
 */
export function parseSequence(values: string): SequenceValue[] {
  const out: SequenceValue[] = [];
  for (const tok of tokenize(values)) {
    if (tok.startsWith('{{')) {
      for (const h of expandHistogramSequence(tok)) out.push({ kind: 'histogram', h });
      continue;
    }
    if (tok === '_') {
      out.push({ kind: 'omitted' });
      continue;
    }
    if (tok === 'stale') {
      out.push({ kind: 'stale' });
      continue;
    }
    const omittedRun = /^_x(\d+)$/.exec(tok);
    if (omittedRun) {
      for (let k = 0; k < Number(omittedRun[1]); k++) out.push({ kind: 'omitted' });
      continue;
    }
    const seq = SEQ_RE.exec(tok);
    if (seq) {
      const start = parseNumberLiteral(seq[1]!);
      const delta =
        seq[3] === undefined ? 0 : parseNumberLiteral(seq[3]) * (seq[2] === '-' ? -1 : 1);
      const times = Number(seq[4]);
      let v = start;
      for (let k = 0; k <= times; k++) {
        out.push({ kind: 'float', v });
        v += delta;
      }
      continue;
    }
    const v = parseNumberLiteral(tok);
    if (Number.isNaN(v) && !/^[+-]?nan$/i.test(tok))
      throw new Error(`bad value ${JSON.stringify(tok)}`);
    out.push({ kind: 'float', v });
  }
  return out;
}
