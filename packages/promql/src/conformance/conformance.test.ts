import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { locateCorpus } from './corpus-dir.js';
import { formatReport, totals } from './report.js';
import { runConformance } from './runner.js';
import type { FileReport } from './runner.js';

const packageDir = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');
const corpus = locateCorpus('promql');
// Without the corpus the suite is registered as skipped under the "not found" line (which
// scripts/test-summary.mjs repeats at the end of `pnpm test`), so it can never count as passed.
if (!corpus.found) process.stderr.write(`${corpus.notFoundLine}\n`);
const suite = corpus.found ? describe : describe.skip;
const baseline = JSON.parse(
  readFileSync(resolve(packageDir, 'conformance-baseline.json'), 'utf8'),
) as {
  passed: number;
  passRate: number;
};

suite(corpus.found ? 'Prometheus conformance corpus' : corpus.notFoundLine, () => {
  let reports: FileReport[];

  beforeAll(async () => {
    reports = await runConformance(corpus.dir);
  });

  it('passes at least the committed baseline of non-native-histogram evals', () => {
    const t = totals(reports);
    const report = formatReport(reports, true);
    expect(reports.length, report).toBeGreaterThanOrEqual(13);
    expect(t.passRate, report).toBeGreaterThanOrEqual(baseline.passRate);
    expect(t.passed, report).toBeGreaterThanOrEqual(baseline.passed);
  });

  it('gives a reason for every failed or skipped case, and skips only native-histogram cases', () => {
    for (const r of reports) {
      for (const c of r.cases) {
        if (c.status === 'passed') continue;
        expect(c.reason, `${r.file}:${c.line}`).toBeTruthy();
        if (c.status === 'skipped') expect(c.reason).toMatch(/^native histogram:/);
      }
    }
  });
});
