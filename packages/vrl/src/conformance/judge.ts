// Runs one corpus case or stdlib example through the engine and compares the outcome with the
// expectation, the way the corpus README describes (return value, error text, diagnostic codes).
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { homedir } from 'node:os';
import { fileURLToPath } from 'node:url';
import {
  compileVrl,
  envVarFunction,
  parseEtldFunction,
  schemaDirLoader,
  validateJsonSchemaFunction,
  type CompileOptions,
  type RunResult,
  type VrlFunction,
} from '../index.js';
import { parseRfc3339 } from '../time.js';
import { fromJson, toJson, VRegex, VTimestamp, type Value } from '../value.js';
import type { StdlibExample, VrlCase } from './cases.js';

export interface Verdict {
  passed: boolean;
  reason?: string;
}

export const HARNESS_SECRETS = { my_secret: 'secret value', datadog_api_key: 'secret value' };

/**
 * What the harness, as the host, allows the functions that are refused by default: `HOME` only
 * for get_env_var, and the schema files the stdlib examples name (by file name), which are our
 * own fixtures (`fixtures/json-schema/`) written from the examples' descriptions.
 */
const schemaFixtures = schemaDirLoader(
  fileURLToPath(new URL('fixtures/json-schema', import.meta.url)),
);
const HARNESS_FUNCTIONS = [
  envVarFunction({ HOME: homedir() }),
  validateJsonSchemaFunction((path) => schemaFixtures(basename(path))),
];

/** JSON with numbers normalised (1.0 and 1 compare equal) and key order ignored. */
function normalise(j: unknown): unknown {
  if (Array.isArray(j)) return j.map(normalise);
  if (j !== null && typeof j === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(j).sort()) out[k] = normalise((j as Record<string, unknown>)[k]);
    return out;
  }
  return j;
}

function sameJson(actual: Value, expected: unknown): boolean {
  return isDeepStrictEqual(normalise(toJson(actual)), normalise(expected));
}

const show = (v: Value): string => JSON.stringify(toJson(v)) ?? 'undefined';

/** Compares a successful value with an expectation written as a literal or JSON. */
export function matchesValue(actual: Value, expected: string): Verdict {
  const lit = /^([rts])'([\s\S]*)'$/.exec(expected);
  if (lit !== null) {
    const [, kind, body] = lit as unknown as [string, string, string];
    if (kind === 'r') {
      const ok = actual instanceof VRegex && actual.source === body.replace(/\\'/g, "'");
      return ok
        ? { passed: true }
        : { passed: false, reason: `expected regex ${body}, got ${show(actual)}` };
    }
    if (kind === 't') {
      const want = parseRfc3339(body);
      const ok =
        actual instanceof VTimestamp &&
        want !== undefined &&
        actual.toRfc3339() === want.toRfc3339();
      return ok
        ? { passed: true }
        : { passed: false, reason: `expected t'${body}', got ${show(actual)}` };
    }
    const ok = actual === body;
    return ok
      ? { passed: true }
      : { passed: false, reason: `expected s'${body}', got ${show(actual)}` };
  }
  let json: unknown;
  try {
    json = JSON.parse(expected);
  } catch {
    const ok = actual === expected;
    return ok
      ? { passed: true }
      : { passed: false, reason: `expected text ${expected}, got ${show(actual)}` };
  }
  return sameJson(actual, json)
    ? { passed: true }
    : { passed: false, reason: `expected ${JSON.stringify(json)}, got ${show(actual)}` };
}

const codesIn = (text: string): string[] =>
  [...text.matchAll(/(?:error|warning)\[(E\d+)\]/g)].map((m) => m[1] as string);

function judgeDiagnostics(
  ours: string[],
  expected: string,
  approximate: boolean,
  ourText: string,
): Verdict {
  if (approximate) {
    const headers = ourText.split('\n').filter((l) => /^(error|warning)\[E\d+\]/.test(l));
    const want = expected
      .split('\n')
      .slice(1)
      .map((l) => l.trim())
      .filter((l) => l !== '');
    let i = 0;
    for (const h of headers) if (i < want.length && h.includes(want[i] as string)) i++;
    return i === want.length && headers.length > 0
      ? { passed: true }
      : {
          passed: false,
          reason: `expected diagnostics ${want.join(' / ')}, got ${headers.join(' / ') || 'none'}`,
        };
  }
  const want = codesIn(expected);
  const ok =
    ours.length > 0 && ours.every((c) => want.includes(c)) && want.some((c) => ours.includes(c));
  return ok
    ? { passed: true }
    : {
        passed: false,
        reason: `expected ${want.join(',')}, got ${ours.join(',') || 'no diagnostic'}`,
      };
}

/** Functions that read the corpus's data files, which upstream tests name `lib/tests/tests/…`. */
let corpusFunctions: VrlFunction[] = [];

export function useCorpusFiles(corpusDir: string): void {
  const read = (path: string): string | undefined => {
    const prefix = 'lib/tests/tests/';
    if (!path.startsWith(prefix) || path.includes('..')) return undefined;
    return readFileSync(join(corpusDir, path.slice(prefix.length)), 'utf8');
  };
  corpusFunctions = [parseEtldFunction(read)];
}

function compileOptions(c?: VrlCase): CompileOptions {
  return {
    functions: [...HARNESS_FUNCTIONS, ...corpusFunctions],
    ...(c && c.readOnly.length > 0 ? { readOnly: c.readOnly } : {}),
  };
}

function run(
  source: string,
  event: Value,
  options: CompileOptions,
):
  | { compiled: false; codes: string[]; text: string }
  | { compiled: true; result: RunResult; warnings: string[] } {
  const compiled = compileVrl(source, options);
  if (!compiled.ok) {
    return {
      compiled: false,
      codes: compiled.diagnostics.map((d) => `E${d.code}`),
      text: compiled.message,
    };
  }
  const result = compiled.program.run(event, {}, { secrets: { ...HARNESS_SECRETS } });
  return { compiled: true, result, warnings: compiled.program.warnings.map((w) => `E${w.code}`) };
}

export function judgeCase(c: VrlCase): Verdict {
  let event: Value;
  try {
    event = fromJson(JSON.parse(c.object));
  } catch {
    return { passed: false, reason: `unreadable object header` };
  }
  const expected = c.result;
  const expectsDiagnostics = /^(error|warning)\[E\d+\]/m.test(expected) || expected.startsWith('~');
  let out: ReturnType<typeof run>;
  try {
    out = run(c.source, event, compileOptions(c));
  } catch (err) {
    return { passed: false, reason: `engine threw: ${(err as Error).stack ?? String(err)}` };
  }
  if (!out.compiled) {
    if (!expectsDiagnostics)
      return { passed: false, reason: `compile error: ${out.text.split('\n')[0]}` };
    return judgeDiagnostics(out.codes, expected, expected.startsWith('~'), out.text);
  }
  if (c.diagnostics) return judgeDiagnostics(out.warnings, expected, false, '');
  if (expectsDiagnostics)
    return { passed: false, reason: `expected a compile diagnostic, program compiled` };
  if (out.warnings.length > 0)
    return { passed: false, reason: `unexpected warnings ${out.warnings.join(',')}` };
  const r = out.result;
  if (r.ok) return matchesValue(r.value, expected);
  if (r.aborted) return matchesValue(r.event, expected);
  return r.error === expected || r.error === expected.replace(/^"|"$/g, '')
    ? { passed: true }
    : { passed: false, reason: `runtime error: ${r.error}` };
}

function jsonKind(j: unknown): string {
  return j === null ? 'null' : Array.isArray(j) ? 'array' : typeof j;
}

export function judgeExample(e: StdlibExample): Verdict {
  let out: ReturnType<typeof run>;
  try {
    out = run(e.source, fromJson(e.input ?? {}), compileOptions());
  } catch (err) {
    return { passed: false, reason: `engine threw: ${(err as Error).message}` };
  }
  if (!out.compiled) return { passed: false, reason: `compile error: ${out.text.split('\n')[0]}` };
  const r = out.result;
  if (e.raises !== undefined) {
    if (r.ok) return { passed: false, reason: `expected error ${e.raises}, got ${show(r.value)}` };
    const text = r.aborted ? r.message : r.error;
    return text === e.raises
      ? { passed: true }
      : { passed: false, reason: `error ${text} ≠ ${e.raises}` };
  }
  if (!r.ok)
    return {
      passed: false,
      reason: r.aborted ? `aborted: ${r.message}` : `runtime error: ${r.error}`,
    };
  if (e.deterministic === false) {
    const ok = jsonKind(toJson(r.value)) === jsonKind(e.return);
    return ok
      ? { passed: true }
      : { passed: false, reason: `type ${jsonKind(toJson(r.value))} ≠ ${jsonKind(e.return)}` };
  }
  if (typeof e.return === 'string' && /^[rts]'[\s\S]*'$/.test(e.return))
    return matchesValue(r.value, e.return);
  return sameJson(r.value, e.return)
    ? { passed: true }
    : { passed: false, reason: `expected ${JSON.stringify(e.return)}, got ${show(r.value)}` };
}
