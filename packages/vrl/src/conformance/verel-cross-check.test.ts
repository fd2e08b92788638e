import * as verel from '@bpinternal/verel';
import { isDeepStrictEqual } from 'node:util';
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { locateCorpus } from '@o2/testing';
import { describe, expect, it } from 'vitest';
import { compileVrl } from '../index.js';
import { fromJson, toJson } from '../value.js';
import { loadCases, type VrlCase } from './cases.js';
import { HARNESS_SECRETS } from './judge.js';

// Our engine against @bpinternal/verel (the real VRL, version 0.25, in wasm) on every corpus
// case: how often the two give the same outcome. A measured figure, kept by a ratchet
// (`verelAgreement` in conformance-ratchet.json), not a target: verel is an older VRL.
const packageDir = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');
const ratchetFile = resolve(packageDir, 'conformance-ratchet.json');
const corpus = locateCorpus('vrl');
const suite = corpus.found ? describe : describe.skip;

type Outcome =
  | { kind: 'compile'; code: number }
  | { kind: 'value'; json: unknown }
  | { kind: 'error'; text: string };

const canon = (j: unknown): unknown => JSON.parse(JSON.stringify(j ?? null)) as unknown;

function ours(c: VrlCase): Outcome {
  const compiled = compileVrl(c.source);
  if (!compiled.ok) return { kind: 'compile', code: compiled.diagnostics[0]?.code ?? 0 };
  const r = compiled.program.run(
    fromJson(JSON.parse(c.object)),
    {},
    { secrets: { ...HARNESS_SECRETS } },
  );
  if (r.ok) return { kind: 'value', json: canon(toJson(r.value)) };
  return r.aborted ? { kind: 'error', text: 'aborted' } : { kind: 'error', text: r.error };
}

function theirs(c: VrlCase): Outcome {
  const checked = verel.check(c.source);
  if (checked.errors.length > 0) return { kind: 'compile', code: checked.errors[0]?.code ?? 0 };
  try {
    const r = verel.execute(c.source, JSON.parse(c.object));
    return { kind: 'value', json: canon(r.result) };
  } catch (err) {
    const text = String((err as Error).message ?? err).replace(/^Termination;\n?/, '');
    return { kind: 'error', text };
  }
}

const sorted = (j: unknown): unknown =>
  Array.isArray(j)
    ? j.map(sorted)
    : j !== null && typeof j === 'object'
      ? Object.fromEntries(
          Object.keys(j)
            .sort()
            .map((k) => [k, sorted((j as Record<string, unknown>)[k])]),
        )
      : j;

suite(corpus.found ? 'cross-check with @bpinternal/verel' : corpus.notFoundLine, () => {
  it('agrees with verel on at least the ratchet count of corpus cases', () => {
    const cases = loadCases(corpus.dir).filter((c) => !c.skip);
    let agree = 0;
    const differ: string[] = [];
    for (const c of cases) {
      const a = ours(c);
      const b = theirs(c);
      if (isDeepStrictEqual(sorted(a), sorted(b))) agree++;
      else
        differ.push(
          `${c.file}: ours ${JSON.stringify(a).slice(0, 120)} · verel ${JSON.stringify(b).slice(0, 120)}`,
        );
    }
    process.stdout.write(
      `\nVRL cross-check with @bpinternal/verel (VRL 0.25): ${agree}/${cases.length} cases agree ` +
        `(${((100 * agree) / cases.length).toFixed(1)} %)\n`,
    );
    if (process.env['O2_VRL_CONFORMANCE_FAILURES'] === '1')
      process.stdout.write(`${differ.join('\n')}\n`);
    const ratchet = JSON.parse(readFileSync(ratchetFile, 'utf8')) as { verelAgreement?: number };
    if (process.env['O2_VRL_UPDATE_RATCHET'] === '1' && agree > (ratchet.verelAgreement ?? 0)) {
      writeFileSync(
        ratchetFile,
        `${JSON.stringify({ ...ratchet, verelAgreement: agree }, null, 2)}\n`,
      );
    }
    expect(cases.length).toBe(307);
    expect(agree, differ.join('\n')).toBeGreaterThanOrEqual(ratchet.verelAgreement ?? 0);
  }, 120_000);
});
