import type { Labels } from '../labels/labels.js';
import { parseNumberLiteral, parseDurationMs } from '../parser/duration.js';
import { parseSeriesDesc, parseSequence, splitSeriesLine } from './series-desc.js';
import type { SequenceValue } from './series-desc.js';

export interface LoadCommand {
  readonly kind: 'load';
  readonly line: number;
  readonly intervalMs: number;
  readonly withNhcb: boolean;
  readonly series: readonly { labels: Labels; values: SequenceValue[] }[];
}

export interface ExpectedSeries {
  readonly labels: Labels;
  readonly values: SequenceValue[];
}

export interface EvalCommand {
  readonly kind: 'eval';
  readonly line: number;
  readonly expr: string;
  readonly instant: boolean;
  readonly startMs: number;
  readonly endMs: number;
  readonly stepMs: number;
  readonly fail: boolean;
  readonly failMessage: string | undefined;
  readonly failRegexp: string | undefined;
  readonly warn: boolean;
  readonly info: boolean;
  readonly noWarn: boolean;
  readonly noInfo: boolean;
  readonly warnMessages: readonly string[];
  readonly infoMessages: readonly string[];
  readonly ordered: boolean;
  /** Set when the expected result is a bare scalar. */
  readonly scalar: number | undefined;
  readonly expected: readonly ExpectedSeries[];
}

export type Command = LoadCommand | EvalCommand | { readonly kind: 'clear'; readonly line: number };

/** Time in a test script: a duration (`50m`) or plain seconds (`10`, `0`). */
export function parseTestTime(text: string): number {
  const d = parseDurationMs(text);
  if (d !== undefined) return d;
  const n = Number(text);
  if (Number.isNaN(n)) throw new Error(`bad time ${JSON.stringify(text)}`);
  return Math.round(n * 1000);
}

const INSTANT_RE = /^eval(?:_(fail|warn|info|ordered))?\s+instant\s+at\s+(\S+)\s+(.+)$/;
const RANGE_RE =
  /^eval(?:_(fail|warn|info|ordered))?\s+range\s+from\s+(\S+)\s+to\s+(\S+)\s+step\s+(\S+)\s+(.+)$/;

/** Parses a promqltest script. Comment lines count as blank lines, which end a block. */
export function parseTestScript(text: string): Command[] {
  const lines = text.split('\n').map((l) => {
    const t = l.trim();
    return t.startsWith('#') ? '' : t;
  });
  const commands: Command[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line === '') continue;
    if (line === 'clear') {
      commands.push({ kind: 'clear', line: i + 1 });
      continue;
    }
    const block: { text: string; line: number }[] = [];
    while (i + 1 < lines.length && lines[i + 1] !== '') {
      i++;
      block.push({ text: lines[i]!, line: i + 1 });
    }
    const lineNo = i + 1 - block.length;
    const load = /^load(_with_nhcb)?\s+(\S+)$/.exec(line);
    if (load) {
      commands.push({
        kind: 'load',
        line: lineNo,
        withNhcb: load[1] !== undefined,
        intervalMs: parseTestTime(load[2]!),
        series: block.map((b) => {
          const { series, values } = splitSeriesLine(b.text);
          return { labels: parseSeriesDesc(series), values: parseSequence(values) };
        }),
      });
      continue;
    }
    commands.push(
      parseEval(
        line,
        lineNo,
        block.map((b) => b.text),
      ),
    );
  }
  return commands;
}

function parseEval(line: string, lineNo: number, block: string[]): EvalCommand {
  const inst = INSTANT_RE.exec(line);
  const range = inst ? undefined : RANGE_RE.exec(line);
  if (!inst && !range) throw new Error(`line ${lineNo}: cannot parse ${JSON.stringify(line)}`);
  const variant = (inst ?? range)![1];
  let fail = variant === 'fail';
  let warn = variant === 'warn';
  let info = variant === 'info';
  let ordered = variant === 'ordered';
  let noWarn = false;
  let noInfo = false;
  let failMessage: string | undefined;
  let failRegexp: string | undefined;
  const warnMessages: string[] = [];
  const infoMessages: string[] = [];
  let scalar: number | undefined;
  const expected: ExpectedSeries[] = [];
  for (const b of block) {
    const fm = /^expected_fail_message\s+(.*)$/.exec(b);
    const fr = /^expected_fail_regexp\s+(.*)$/.exec(b);
    const ex = /^expect\s+(\w+)(?:\s+(msg|regex):\s*(.*))?$/.exec(b);
    if (fm) {
      failMessage = fm[1]!;
    } else if (fr) {
      failRegexp = fr[1]!;
    } else if (ex) {
      const [, type, how, msg] = ex;
      if (type === 'fail') {
        fail = true;
        if (how === 'msg') failMessage = msg;
        if (how === 'regex') failRegexp = msg;
      } else if (type === 'warn') {
        warn = true;
        if (msg !== undefined) warnMessages.push(msg);
      } else if (type === 'info') {
        info = true;
        if (msg !== undefined) infoMessages.push(msg);
      } else if (type === 'no_warn') noWarn = true;
      else if (type === 'no_info') noInfo = true;
      else if (type === 'ordered') ordered = true;
    } else if (
      (/^[+-]?(\d|\.\d|inf|nan|0x)/i.test(b) && !Number.isNaN(parseNumberLiteral(b))) ||
      /^[+-]?nan$/i.test(b)
    ) {
      scalar = parseNumberLiteral(b);
    } else {
      const { series, values } = splitSeriesLine(b);
      expected.push({ labels: parseSeriesDesc(series), values: parseSequence(values) });
    }
  }
  const startMs = parseTestTime(inst ? inst[2]! : range![2]!);
  return {
    kind: 'eval',
    line: lineNo,
    expr: inst ? inst[3]! : range![5]!,
    instant: inst !== null,
    startMs,
    endMs: inst ? startMs : parseTestTime(range![3]!),
    stepMs: inst ? 0 : parseTestTime(range![4]!),
    fail,
    failMessage,
    failRegexp,
    warn,
    info,
    noWarn,
    noInfo,
    warnMessages,
    infoMessages,
    ordered,
    scalar,
    expected,
  };
}
