import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PromqlEngine } from '../eval/engine.js';
import type { QueryResult } from '../eval/engine.js';
import type { FloatHistogram } from '../histogram/histogram.js';
import type { Labels } from '../labels/labels.js';
import { MemorySeriesSource } from '../storage/memory-series-source.js';
import type { Expr } from '../ast/ast.js';
import { parsePromql } from '../parser/parse.js';
import { atModifierCases } from './at-modifier-cases.js';
import { compareInstant, compareRange } from './compare.js';
import { parseTestScript } from './test-script.js';
import type { EvalCommand } from './test-script.js';
import { loadCommand } from './load.js';

export type CaseStatus = 'passed' | 'failed' | 'skipped';

export interface CaseResult {
  readonly line: number;
  readonly expr: string;
  readonly status: CaseStatus;
  readonly reason?: string;
}

export interface FileReport {
  readonly file: string;
  readonly passed: number;
  readonly failed: number;
  readonly skipped: number;
  readonly cases: readonly CaseResult[];
}

function checkAnnotations(cmd: EvalCommand, res: QueryResult): string | undefined {
  if (cmd.ordered) return undefined;
  const { warnings, infos } = res;
  if (!cmd.warn && warnings.length > 0) return `unexpected warnings: ${warnings.join('; ')}`;
  if (cmd.warn && warnings.length === 0) return 'expected warnings but got none';
  if (!cmd.info && infos.length > 0) return `unexpected info annotations: ${infos.join('; ')}`;
  if (cmd.info && infos.length === 0) return 'expected info annotations but got none';
  for (const m of cmd.warnMessages)
    if (!warnings.includes(m))
      return `expected warning ${JSON.stringify(m)}, got ${warnings.join('; ')}`;
  for (const m of cmd.infoMessages)
    if (!infos.includes(m)) return `expected info ${JSON.stringify(m)}, got ${infos.join('; ')}`;
  return undefined;
}

type Outcome = Omit<CaseResult, 'line' | 'expr'>;

/** One instant evaluation of `expr` at `evalMs`, checked like promqltest (incl. range mode). */
async function checkInstant(
  engine: PromqlEngine,
  cmd: EvalCommand,
  expr: Expr,
  evalMs: number,
): Promise<Outcome | undefined> {
  let res: QueryResult | undefined;
  let error: Error | undefined;
  try {
    res = await engine.instantQuery(expr, evalMs);
  } catch (err) {
    error = err as Error;
  }
  const failure = checkFailure(cmd, error);
  if (failure !== null) return failure;
  if (!res) return { status: 'failed', reason: 'no result' };
  const annotationProblem = checkAnnotations(cmd, res);
  if (annotationProblem) return { status: 'failed', reason: annotationProblem };
  let reason: string | undefined;
  if (res.resultType === 'vector') reason = compareInstant(cmd, res.result, undefined, cmd.ordered);
  else if (res.resultType === 'scalar')
    reason = compareInstant(cmd, undefined, res.result.v, false);
  else reason = `unsupported instant result type ${res.resultType}`;
  if (reason) return { status: 'failed', reason };
  if (cmd.ordered) return undefined;
  // Like promqltest, the same query run as a range query must agree at the middle step.
  let range: QueryResult;
  try {
    range = await engine.rangeQuery(expr, evalMs - 60_000, evalMs + 60_000, 60_000);
  } catch (err) {
    return { status: 'failed', reason: `range mode: error: ${(err as Error).message}` };
  }
  if (range.resultType !== 'matrix')
    return { status: 'failed', reason: 'range mode: not a matrix' };
  const atT: { labels: Labels; v: number; h?: FloatHistogram | undefined }[] = [];
  for (const s of range.result) {
    const i = s.timestamps.indexOf(evalMs);
    if (i >= 0) atT.push({ labels: s.labels, v: s.values[i]!, h: s.histograms?.[i] });
  }
  const rangeReason =
    res.resultType === 'scalar'
      ? compareInstant(cmd, undefined, atT[0]?.v ?? NaN, false)
      : compareInstant(cmd, atT, undefined, false);
  return rangeReason ? { status: 'failed', reason: `range mode: ${rangeReason}` } : undefined;
}

/** null when the query did what was expected regarding errors; an outcome otherwise. */
function checkFailure(cmd: EvalCommand, error: Error | undefined): Outcome | null {
  if (!cmd.fail) return error ? { status: 'failed', reason: `error: ${error.message}` } : null;
  if (!error) return { status: 'failed', reason: 'expected error evaluating query but got none' };
  if (cmd.failMessage !== undefined && error.message !== cmd.failMessage) {
    return {
      status: 'failed',
      reason: `expected error ${JSON.stringify(cmd.failMessage)}, got ${JSON.stringify(error.message)}`,
    };
  }
  if (cmd.failRegexp !== undefined && !new RegExp(cmd.failRegexp).test(error.message)) {
    return {
      status: 'failed',
      reason: `expected error matching ${cmd.failRegexp}, got ${JSON.stringify(error.message)}`,
    };
  }
  return { status: 'passed' };
}

async function runEval(engine: PromqlEngine, cmd: EvalCommand): Promise<Outcome> {
  let expr: Expr;
  try {
    expr = parsePromql(cmd.expr);
  } catch (err) {
    return (
      checkFailure(cmd, err as Error) ?? { status: 'failed', reason: 'parsed but expected to fail' }
    );
  }
  if (!cmd.instant) {
    let res: QueryResult | undefined;
    let error: Error | undefined;
    try {
      res = await engine.rangeQuery(expr, cmd.startMs, cmd.endMs, cmd.stepMs);
    } catch (err) {
      error = err as Error;
    }
    const failure = checkFailure(cmd, error);
    if (failure !== null) return failure;
    const problem = checkAnnotations(cmd, res!) ?? compareRange(cmd, res!);
    return problem ? { status: 'failed', reason: problem } : { status: 'passed' };
  }
  const first = await checkInstant(engine, cmd, expr, cmd.startMs);
  if (first) return first;
  for (const variant of atModifierCases(expr, cmd.startMs)) {
    const outcome = await checkInstant(engine, cmd, variant.expr, variant.evalMs);
    if (outcome && outcome.status !== 'passed') {
      return {
        status: 'failed',
        reason: `with @ ${cmd.startMs / 1000} evaluated at ${variant.evalMs / 1000}s: ${outcome.reason ?? ''}`,
      };
    }
  }
  return { status: 'passed' };
}

/** Runs one promqltest script against a fresh in-memory store. */
export async function runTestScript(file: string, text: string): Promise<FileReport> {
  const store = new MemorySeriesSource();
  const engine = new PromqlEngine(store);
  const cases: CaseResult[] = [];
  for (const cmd of parseTestScript(text)) {
    if (cmd.kind === 'clear') store.clear();
    else if (cmd.kind === 'load') loadCommand(store, cmd);
    else cases.push({ line: cmd.line, expr: cmd.expr, ...(await runEval(engine, cmd)) });
  }
  const count = (s: CaseStatus): number => cases.filter((c) => c.status === s).length;
  return {
    file,
    passed: count('passed'),
    failed: count('failed'),
    skipped: count('skipped'),
    cases,
  };
}

/** Runs every `.test` file in a directory (or only those named in `only`), sorted by name. */
export async function runConformance(dir: string, only?: readonly string[]): Promise<FileReport[]> {
  const files = (await readdir(dir))
    .filter((f) => f.endsWith('.test') && (only === undefined || only.includes(f)))
    .sort();
  const reports: FileReport[] = [];
  for (const f of files) reports.push(await runTestScript(f, await readFile(join(dir, f), 'utf8')));
  return reports;
}
